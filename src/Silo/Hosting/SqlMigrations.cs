using System.Data.Common;
using System.Globalization;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// Applies the project's own scripts of one engine (<c>db/&lt;engine&gt;/*.sql</c>, in name order) that a database
/// has not had yet, each in its own transaction and recorded in <c>SessionGridMigrations</c>, so running it again
/// changes nothing. <paramref name="lockStatement"/> (PostgreSQL: an advisory lock) keeps two runs from racing.
/// </summary>
public static class SqlMigrations
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(DbDataSource database, string engine, string? lockStatement, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var create = await connection.BeginTransactionAsync(cancellationToken))
        {
            await LockAsync(connection, create, lockStatement, cancellationToken);
            await ExecuteAsync(connection, create, "CREATE TABLE IF NOT EXISTS SessionGridMigrations (Name TEXT NOT NULL PRIMARY KEY, AppliedAt TEXT NOT NULL);", cancellationToken);
            await create.CommitAsync(cancellationToken);
        }

        var applied = new List<string>();
        foreach (var (name, text) in SqlScripts.For(engine))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockAsync(connection, transaction, lockStatement, cancellationToken);
            if (await IsAppliedAsync(connection, transaction, name, cancellationToken))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, text, cancellationToken);
            await ExecuteAsync(connection, transaction, "INSERT INTO SessionGridMigrations (Name, AppliedAt) VALUES (@name, @at)", cancellationToken,
                ("name", name), ("at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            await transaction.CommitAsync(cancellationToken);
            applied.Add(name);
        }

        return applied;
    }

    /// <summary>The scripts of <paramref name="engine"/> the database has not had yet (empty when it is up to date).</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(DbDataSource database, string engine, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var pending = new List<string>();
        foreach (var (name, _) in SqlScripts.For(engine))
        {
            bool applied;
            try
            {
                applied = await IsAppliedAsync(connection, null, name, cancellationToken);
            }
            catch (DbException)
            {
                // No migrations table: nothing was applied.
                applied = false;
            }

            if (!applied)
            {
                pending.Add(name);
            }
        }

        return pending;
    }

    private static Task LockAsync(DbConnection connection, DbTransaction transaction, string? lockStatement, CancellationToken cancellationToken) =>
        lockStatement is null ? Task.CompletedTask : ExecuteAsync(connection, transaction, lockStatement, cancellationToken);

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var check = Command(connection, transaction, "SELECT COUNT(*) FROM SessionGridMigrations WHERE Name = @name", ("name", name));
        return Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.With(parameters);
    }
}
