using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;
using SessionGrid.Grains.Hosting;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Grains;

namespace SessionGrid.Tests.Storage;

/// <summary>The project's SQLite scripts, proven against a real SQLite file through Orleans' own ADO.NET provider.</summary>
public sealed class SqliteStoreTests(SqliteCluster fixture) : IClassFixture<SqliteCluster>
{
    [GenerateSerializer]
    public sealed class Probe
    {
        [Id(0)] public string Text { get; set; } = "";
    }

    private IGrainStorage Storage =>
        fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    [Fact]
    public void Migrations_apply_once_and_register_every_query_key_the_provider_needs()
    {
        var dir = Directory.CreateTempSubdirectory("sessiongrid-migrate-").FullName;
        var connectionString = SqliteStore.ConnectionString(dir);
        Assert.NotEmpty(SqliteStore.Migrate(connectionString));
        Assert.Empty(SqliteStore.Migrate(connectionString));

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey";
        var keys = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey"], keys);
        connection.Close();
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Writes_bump_the_version_and_a_stale_or_duplicate_first_write_is_a_conflict()
    {
        var grainId = GrainId.Create("probe", Guid.NewGuid().ToString("N"));
        var first = new GrainState<Probe>(new Probe { Text = "one" });
        await Storage.WriteStateAsync("probe", grainId, first);
        Assert.Equal("1", first.ETag);

        var second = new GrainState<Probe>(new Probe { Text = "two" }) { ETag = first.ETag };
        await Storage.WriteStateAsync("probe", grainId, second);
        Assert.Equal("2", second.ETag);

        var stale = new GrainState<Probe>(new Probe { Text = "stale" }) { ETag = "1" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("probe", grainId, stale));
        var duplicateFirst = new GrainState<Probe>(new Probe { Text = "again" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("probe", grainId, duplicateFirst));

        var read = new GrainState<Probe>(new Probe());
        await Storage.ReadStateAsync("probe", grainId, read);
        Assert.Equal("two", read.State!.Text);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);

        await Storage.ClearStateAsync("probe", grainId, read);
        var cleared = new GrainState<Probe>(new Probe());
        await Storage.ReadStateAsync("probe", grainId, cleared);
        Assert.Equal("", cleared.State!.Text);
        Assert.False(cleared.RecordExists);
    }

    [Fact]
    public async Task Grain_storage_connections_wait_for_a_busy_database_inside_SQLite_and_commit_with_synchronous_NORMAL()
    {
        var options = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(StorageNames.Default);
        var dataSource = Assert.IsAssignableFrom<System.Data.Common.DbDataSource>(options.DataSource);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(30000L, await PragmaAsync(connection, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(connection, "synchronous")); // NORMAL
            Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
        }

        // Writers at once: each waits its turn inside SQLite, none fails.
        var writes = Enumerable.Range(0, 40).Select(i => Storage.WriteStateAsync("probe", GrainId.Create("probe", $"busy-{Guid.NewGuid():N}"),
            new GrainState<Probe>(new Probe { Text = new string('x', 10_000 + i) })));
        await Task.WhenAll(writes);
    }

    private static async Task<object?> PragmaAsync(System.Data.Common.DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return await command.ExecuteScalarAsync();
    }
}
