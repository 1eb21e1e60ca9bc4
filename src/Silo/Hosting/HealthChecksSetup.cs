using SessionGrid.Api.Operations;
using SessionGrid.Grains.Health;

namespace SessionGrid.Silo.Hosting;

public static class HealthChecksSetup
{
    /// <summary>
    /// The probes' checks: the silo is active (startup and ready), the embedded store is readable and a browser
    /// launches (ready). <c>/health/live</c> checks nothing (see <see cref="HealthEndpoints"/>).
    /// </summary>
    public static IServiceCollection AddSessionGridHealthChecks(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton<BrowserLaunchCheck>();
        services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", tags: [HealthTags.Startup, HealthTags.Ready])
            .AddTypeActivatedCheck<SqliteStoreCheck>("storage", failureStatus: null, tags: [HealthTags.Ready], args: connectionString)
            .AddCheck<BrowserLaunchCheck>("browser", tags: [HealthTags.Ready]);
        return services;
    }
}
