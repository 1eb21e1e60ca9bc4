using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// The embedded store: one SQLite file in the data folder, in WAL mode, with the scripts of <c>db/sqlite</c> applied
/// once each (recorded in <c>SessionGridMigrations</c>), so applying them again changes nothing.
/// </summary>
public static class SqliteStore
{
    /// <summary>The ADO.NET invariant under which Orleans loads Microsoft.Data.Sqlite.</summary>
    public const string Invariant = "System.Data.SQLite";

    public static string ConnectionString(string dataDir) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDir, "sessiongrid.db"),
        Mode = SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    public static DbDataSource DataSource(string connectionString) => SqliteFactory.Instance.CreateDataSource(connectionString);

    /// <summary>Grain persistence on this store: Orleans' ADO.NET provider with the Orleans binary serializer.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return silo.AddAdoNetGrainStorage(StorageNames.Default, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>Applies the scripts not applied yet; returns their names.</summary>
    public static IReadOnlyList<string> Migrate(string connectionString)
    {
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var database = DataSource(connectionString);
        return SqlMigrations.ApplyAsync(database, "sqlite", lockStatement: null, CancellationToken.None).GetAwaiter().GetResult();
    }
}
