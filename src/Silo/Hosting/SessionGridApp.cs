using SessionGrid.Api.BrowserSessionApi;
using SessionGrid.Api.BrowsingApi;
using SessionGrid.Api.Hosting;
using SessionGrid.Api.Http;
using SessionGrid.Api.OpenApi;
using SessionGrid.Api.Operations;
using SessionGrid.Api.TaskApi;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// Builds the single-process host: an Orleans silo on the embedded SQLite store, the browser engine, and the HTTP
/// dialects co-hosted in the same process.
/// </summary>
public static class SessionGridApp
{
    public const string ServiceId = "sessiongrid";

    /// <param name="configure">Last changes to the builder before it builds (tests add a log capture).</param>
    public static WebApplication Build(string[] args, TextWriter? console = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(HostSettings.DefaultUrls);
        }

        var settings = HostSettings.From(builder.Configuration);
        if (settings.Mode == HostMode.Cluster)
        {
            // A cluster never generates a vault key: every silo must open what any other sealed, so it is configured.
            VaultKey.Resolve(builder.Configuration[VaultKey.Setting], keyFile: null);
            throw new NotSupportedException("Cluster mode (SessionGrid:Mode=cluster) is not available yet: run the embedded mode.");
        }

        Directory.CreateDirectory(settings.DataDir);
        var vaultKeyFile = Path.Combine(settings.DataDir, VaultKey.FileName);
        var vaultKey = VaultKey.Resolve(builder.Configuration[VaultKey.Setting], vaultKeyFile);
        var connectionString = SqliteStore.ConnectionString(settings.DataDir);
        SqliteStore.Migrate(connectionString);
        var keyHashes = ApiKeySetup.KeyHashes(builder.Configuration, settings.DataDir, console ?? Console.Out);
        if (vaultKey.Generated)
        {
            (console ?? Console.Out).WriteLine($"  SessionGrid generated the credential vault's key in {vaultKeyFile} (owner-only). " +
                "Back it up with the data folder: stored credentials cannot be opened without it.");
        }

        // The engine first: its browser host starts before the silo and stops after every session closed.
        builder.Services.AddSessionGridEngine(builder.Configuration);
        builder.Services.AddSingleton<IArtifactStore>(sp => new SqliteArtifactStore(connectionString, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(vaultKey);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: ServiceId, clusterId: ServiceId);
            silo.AddSqliteGrainStorage(connectionString);
            silo.AddSessionGridNode(settings.NodeName, settings.NodeCountry);
            silo.AddActivityPropagation();
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSessionGridApi(builder.Configuration, keyHashes);
        builder.Services.AddSessionGridHealthChecks(connectionString);
        builder.Services.AddApiReference();
        builder.AddSessionGridTelemetry(settings.NodeName);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseSessionGridErrors();
        app.MapHealthEndpoints();
        app.MapApiReference();
        app.MapMetricsEndpoint();
        var dialects = app.MapGroup("").WithApiDocs();
        dialects.MapTaskApi();
        dialects.MapBrowserSessionApi();
        dialects.MapBrowsingApi();
        return app;
    }
}
