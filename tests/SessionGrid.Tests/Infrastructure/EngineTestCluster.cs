using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Vault;
using SessionGrid.Silo.Hosting;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// An <see cref="InProcessTestCluster"/> of SessionGrid nodes (Silo_0, Silo_1, …): each with the whole engine and
/// its own browsers, all sharing one SQLite store and one configured vault key, with the given settings.
/// </summary>
public static class EngineTestCluster
{
    public static async Task<InProcessTestCluster> StartAsync(string dataDir, int silos, IReadOnlyDictionary<string, string>? countries = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var connectionString = SqliteStore.ConnectionString(dataDir);
        SqliteStore.Migrate(connectionString);
        // A cluster shares one configured vault key, as every silo must open what another sealed.
        var vaultKey = VaultKey.Resolve(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(VaultKey.Size)), keyFile: null);
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddSqliteGrainStorage(connectionString);
            silo.AddSessionGridNode(options.SiloName, countries?.GetValueOrDefault(options.SiloName));
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            var all = new Dictionary<string, string?>
            {
                ["SessionGrid:Browser:WarmContexts"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                all[key] = value;
            }

            host.Configuration.AddInMemoryCollection(all);
            host.Services.AddSessionGridEngine(host.Configuration);
            host.Services.AddSingleton(vaultKey);
            host.Services.AddSingleton<IArtifactStore>(sp => new SqlArtifactStore(SqliteStore.DataSource(connectionString), sp.GetRequiredService<TimeProvider>()));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            await SettledAsync(cluster);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>
    /// Waits until every silo sees every silo active and knows its grain types, and so does the client: only then does
    /// placement choose among every node (the test cluster's own wait for this gives up early).
    /// </summary>
    private static Task SettledAsync(InProcessTestCluster cluster)
    {
        var silos = cluster.Silos.Select(s => s.SiloAddress).ToList();
        bool KnowsAll(IServiceProvider services) => silos.All(services.GetRequiredService<IClusterManifestProvider>().Current.Silos.ContainsKey);
        bool SeesAll(IServiceProvider services) =>
            silos.All(silo => services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Active);
        return Eventually.Until(() => Task.FromResult(
                cluster.Silos.All(s => SeesAll(s.ServiceProvider) && KnowsAll(s.ServiceProvider)) && KnowsAll(cluster.Client.ServiceProvider) ? "settled" : null),
            TimeSpan.FromSeconds(60), $"the {silos.Count} silos to know each other");
    }

    /// <summary>The browser host of the silo with this name.</summary>
    public static BrowserHost BrowsersOf(this InProcessTestCluster cluster, string node) =>
        cluster.Silos.Select(s => s.ServiceProvider).Single(sp => sp.GetRequiredService<ILocalSiloDetails>().Name == node).GetRequiredService<BrowserHost>();

    /// <summary>Stops the cluster and deletes its data folder.</summary>
    public static async Task StopAsync(InProcessTestCluster cluster, string dataDir)
    {
        await cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }
}
