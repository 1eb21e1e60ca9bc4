using System.Data.Common;
using SessionGrid.Api.Admin;
using SessionGrid.Api.Artifacts;
using SessionGrid.Api.BrowserSessionApi;
using SessionGrid.Api.BrowsingApi;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Console;
using SessionGrid.Api.Hosting;
using SessionGrid.Api.Http;
using SessionGrid.Api.LiveView;
using SessionGrid.Api.Mcp;
using SessionGrid.Api.OpenApi;
using SessionGrid.Api.Operations;
using SessionGrid.Api.TaskApi;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Nodes;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// Builds a host: an Orleans silo (on the embedded SQLite store, or one silo of a cluster on PostgreSQL), the browser
/// engine, and the HTTP dialects co-hosted in the same process.
/// </summary>
public static class SessionGridApp
{
    /// <summary>How long a stopping host gives its sessions to end and record their results (a pod's grace period must be longer).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A cluster silo's shutdown timeout: its drain (<see cref="NodeOptions.DrainSeconds"/>), then the
    /// <see cref="ShutdownTimeout"/> the rest of the stop takes. A pod's grace period must be longer.
    /// </summary>
    public static TimeSpan ClusterShutdownTimeout(int drainSeconds) => TimeSpan.FromSeconds(drainSeconds) + ShutdownTimeout;

    /// <param name="configure">Last changes to the builder before it builds (tests add a log capture).</param>
    public static WebApplication Build(string[] args, TextWriter? console = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        LoggingDefaults.Apply(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(HostSettings.DefaultUrls);
        }

        // ASP.NET Core's request lines carry whole URLs, query included: a live view's token would be logged.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        var settings = HostSettings.From(builder.Configuration);
        var output = console ?? Console.Out;
        if (settings.Role == HostRole.Api)
        {
            return BuildApi(builder, settings, configure);
        }

        var (vaultKey, database, useStorage) = settings.Storage == StorageKind.Postgres ? Postgres(builder, settings) : Embedded(builder, settings, output);
        var keys = Keys(builder, settings, output);

        // The engine first: its browser host starts before the silo and stops after every session closed.
        builder.Services.AddSessionGridEngine(builder.Configuration);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<IArtifactStore>(sp => new SqlArtifactStore(database, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(vaultKey);
        builder.UseOrleans(silo =>
        {
            useStorage(silo);
            silo.AddSessionGridNode(settings.NodeName, settings.NodeCountry);
            silo.AddActivityPropagation();
        });
        if (settings.Storage == StorageKind.Postgres)
        {
            // SIGTERM drains a cluster silo first (registered after the silo: it runs before any hosted service stops).
            var drainSeconds = builder.Configuration.GetValue($"{NodeOptions.Section}:{nameof(NodeOptions.DrainSeconds)}", NodeOptions.DefaultDrainSeconds);
            builder.Services.AddHostedService<DrainOnStop>();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ClusterShutdownTimeout(drainSeconds));
        }
        else
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        }

        builder.Services.AddSessionGridApi(builder.Configuration, keys.Hashes);
        builder.Services.AddCdpRelay(builder.Configuration, settings.AdvertisedIp);
        builder.Services.AddSessionGridHealthChecks(settings.Role);
        builder.Services.AddApiReference();
        builder.AddSessionGridTelemetry(settings.NodeName);
        configure?.Invoke(builder);

        return MapRoutes(builder.Build(), settings.Role).ReportWhenStarted(settings, keys);
    }

    /// <summary>
    /// The API role: the three dialects alone, in front of a cluster it joins as an Orleans client (gateways found in
    /// PostgreSQL). It holds no browser and no state; any number of them can serve one cluster.
    /// </summary>
    private static WebApplication BuildApi(WebApplicationBuilder builder, HostSettings settings, Action<WebApplicationBuilder>? configure)
    {
        if (settings.Storage != StorageKind.Postgres)
        {
            throw new InvalidOperationException("The api role joins a cluster through PostgreSQL: set SessionGrid:Storage=postgres and SessionGrid:ConnectionString.");
        }

        var keys = Keys(builder, settings, TextWriter.Null);
        builder.UseOrleansClient(client => client.UsePostgres(settings).AddActivityPropagation());
        builder.Services.AddSessionGridApi(builder.Configuration, keys.Hashes);
        builder.Services.AddSessionGridHealthChecks(settings.Role);
        builder.Services.AddApiReference();
        builder.AddSessionGridTelemetry(settings.NodeName);
        configure?.Invoke(builder);
        return MapRoutes(builder.Build(), settings.Role).ReportWhenStarted(settings, keys);
    }

    /// <summary>Every process serves the dialects, the MCP server, the live view and CDP endpoints; a silo also relays CDP connections to its own browsers.</summary>
    private static WebApplication MapRoutes(WebApplication app, HostRole role)
    {
        app.UseSessionGridErrors();
        app.UseWebSockets();
        app.MapHealthEndpoints();
        app.MapApiReference();
        app.MapMetricsEndpoint();
        app.MapTaskApi();
        app.MapBrowserSessionApi();
        app.MapBrowsingApi();
        app.MapAdminApi();
        app.MapConsole();
        app.MapMcpServer();
        app.MapLiveView();
        app.MapArtifacts();
        app.MapCdp();
        if (role == HostRole.Silo)
        {
            app.MapCdpRelay();
        }

        return app;
    }

    /// <summary>
    /// The configured API keys; only the embedded store generates one. A cluster's keys are configured, the same
    /// everywhere: tenant keys, or admin keys alone (which then issue every tenant key through the admin API).
    /// </summary>
    private static ApiKeys Keys(WebApplicationBuilder builder, HostSettings settings, TextWriter output)
    {
        static bool Set(IConfigurationSection section) => !string.IsNullOrEmpty(section.Value) || section.GetChildren().Any();
        var configured = Set(builder.Configuration.GetSection(HostSettings.Keys.ApiKeys));
        if (settings.Storage == StorageKind.Postgres && !configured)
        {
            return Set(builder.Configuration.GetSection(Api.Auth.AdminKeyRegistry.Setting))
                ? new ApiKeys([], ApiKeySource.AdminIssued, null)
                : throw new InvalidOperationException(
                    $"A cluster does not generate API keys: set {HostSettings.Keys.ApiKeys} or {Api.Auth.AdminKeyRegistry.Setting} (the same on every silo and API).");
        }

        return ApiKeySetup.Resolve(builder.Configuration, settings.DataDir, output);
    }

    /// <summary>The embedded store: a generated vault key and the SQLite file in the data folder, migrated on start.</summary>
    private static (VaultKey, DbDataSource, Action<ISiloBuilder>) Embedded(WebApplicationBuilder builder, HostSettings settings, TextWriter output)
    {
        Directory.CreateDirectory(settings.DataDir);
        var vaultKeyFile = Path.Combine(settings.DataDir, VaultKey.FileName);
        var vaultKey = VaultKey.Resolve(builder.Configuration[VaultKey.Setting], vaultKeyFile);
        if (vaultKey.Generated)
        {
            output.WriteLine($"  SessionGrid generated the credential vault's key in {vaultKeyFile} (owner-only). " +
                "Back it up with the data folder: stored credentials cannot be opened without it.");
        }

        var connectionString = SqliteStore.ConnectionString(settings.DataDir);
        SqliteStore.Migrate(connectionString);
        return (vaultKey, SqliteStore.DataSource(connectionString), silo =>
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ClusterId, clusterId: settings.ClusterId);
            silo.AddSqliteGrainStorage(connectionString);
        });
    }

    /// <summary>
    /// A silo of a cluster on PostgreSQL: the vault key must be configured (every silo opens what any other sealed,
    /// so none may generate its own), and the database must already be migrated (the <c>migrate</c> command).
    /// </summary>
    private static (VaultKey, DbDataSource, Action<ISiloBuilder>) Postgres(WebApplicationBuilder builder, HostSettings settings)
    {
        var vaultKey = VaultKey.Resolve(builder.Configuration[VaultKey.Setting], keyFile: null);
        PostgresStore.EnsureMigratedAsync(settings.ConnectionString!, CancellationToken.None).GetAwaiter().GetResult();
        Directory.CreateDirectory(settings.DataDir);
        return (vaultKey, PostgresStore.DataSource(settings.ConnectionString!), silo => silo.UsePostgres(settings));
    }
}
