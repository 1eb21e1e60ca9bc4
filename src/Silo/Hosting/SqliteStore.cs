using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// The embedded store: one SQLite file in the data folder, in WAL mode, with the scripts of <c>db/sqlite</c> applied
/// once each (recorded in <c>SessionGridMigrations</c>), so applying them again changes nothing. Every connection
/// (grain storage and artifacts alike, through <see cref="DataSource"/>) waits for a busy database inside SQLite, in
/// steps of a few milliseconds, and commits with <c>synchronous = NORMAL</c>: in WAL mode a commit survives the
/// process dying, and only an OS crash or power loss can take back the last commits (SQLite's documented trade-off).
/// </summary>
public static class SqliteStore
{
    /// <summary>The ADO.NET invariant under which Orleans loads Microsoft.Data.Sqlite.</summary>
    public const string Invariant = "System.Data.SQLite";

    /// <summary>The database file in the data folder.</summary>
    public const string FileName = "sessiongrid.db";

    public static string ConnectionString(string dataDir) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDir, FileName),
        Mode = SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    public static DbDataSource DataSource(string connectionString) => new PragmaDataSource(connectionString);

    /// <summary>Grain persistence on this store: Orleans' ADO.NET provider with the Orleans binary serializer.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return silo.AddAdoNetGrainStorage(StorageNames.Default, options =>
        {
            options.Invariant = Invariant;
            options.DataSource = DataSource(connectionString);
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

    /// <summary>
    /// SQLite connections that set their pragmas as they open. Microsoft.Data.Sqlite's own answer to a busy database is
    /// to retry the statement after sleeping the thread; SQLite's busy timeout waits inside the statement in short steps.
    /// </summary>
    private sealed class PragmaDataSource(string connectionString) : DbDataSource
    {
        private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

        public override string ConnectionString => connectionString;

        protected override DbConnection CreateDbConnection()
        {
            var connection = new SqliteConnection(connectionString);
            connection.StateChange += OnStateChange;
            return connection;
        }

        private static void OnStateChange(object sender, StateChangeEventArgs change)
        {
            if (change.CurrentState == ConnectionState.Open && sender is SqliteConnection connection)
            {
                using var command = connection.CreateCommand();
                command.CommandText = Pragmas;
                command.ExecuteNonQuery();
            }
        }
    }
}
