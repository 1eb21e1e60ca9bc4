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
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS SessionGridMigrations (Name TEXT NOT NULL PRIMARY KEY, AppliedAt TEXT NOT NULL);");
        var applied = new List<string>();
        foreach (var (name, text) in SqlScripts.For("sqlite"))
        {
            using var transaction = connection.BeginTransaction();
            using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM SessionGridMigrations WHERE Name = $name";
            check.Parameters.AddWithValue("$name", name);
            if (Convert.ToInt64(check.ExecuteScalar()) > 0)
            {
                continue;
            }

            Execute(connection, transaction, text);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO SessionGridMigrations (Name, AppliedAt) VALUES ($name, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
            record.Parameters.AddWithValue("$name", name);
            record.ExecuteNonQuery();
            transaction.Commit();
            applied.Add(name);
        }

        return applied;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
