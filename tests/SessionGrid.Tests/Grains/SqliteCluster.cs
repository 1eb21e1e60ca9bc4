using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Vault;
using SessionGrid.Silo.Hosting;

namespace SessionGrid.Tests.Grains;

/// <summary>An in-process Orleans test cluster whose grain storage is the embedded SQLite store with the project's scripts.</summary>
public sealed class SqliteCluster : IAsyncLifetime
{
    public string DataDir { get; } = Directory.CreateTempSubdirectory("sessiongrid-grains-").FullName;
    public string ConnectionString => SqliteStore.ConnectionString(DataDir);
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        SqliteStore.Migrate(ConnectionString);
        var builder = new InProcessTestClusterBuilder(1);
        var connectionString = ConnectionString;
        builder.ConfigureSilo((_, silo) => silo.AddSqliteGrainStorage(connectionString));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(TimeProvider.System);

            // A task record mints its recording's link tokens, keyed from the vault key.
            host.Services.AddSingleton(VaultKey.Resolve(Convert.ToBase64String(RandomNumberGenerator.GetBytes(VaultKey.Size)), null));
            host.Services.AddSingleton<ArtifactLinks>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDir, recursive: true);
    }
}
