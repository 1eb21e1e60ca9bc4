using SessionGrid.Api.Operations;
using SessionGrid.Grains.Health;

namespace SessionGrid.Silo.Hosting;

public static class HealthChecksSetup
{
    /// <summary>
    /// The probes' checks. A silo: it is active (startup and ready), its store is readable and a browser launches
    /// (ready). An API-only process: the cluster answers with an active silo (startup and ready). <c>/health/live</c>
    /// checks nothing (see <see cref="HealthEndpoints"/>).
    /// </summary>
    public static IServiceCollection AddSessionGridHealthChecks(this IServiceCollection services, HostRole role)
    {
        var checks = services.AddHealthChecks();
        if (role == HostRole.Api)
        {
            checks.AddCheck<ClusterReachableCheck>("cluster", tags: [HealthTags.Startup, HealthTags.Ready]);
            return services;
        }

        services.AddSingleton<BrowserLaunchCheck>();
        checks.AddCheck<SiloActiveCheck>("silo", tags: [HealthTags.Startup, HealthTags.Ready])
            .AddCheck<StoreCheck>("storage", tags: [HealthTags.Ready])
            .AddCheck<BrowserLaunchCheck>("browser", tags: [HealthTags.Ready]);
        return services;
    }
}
