using System.Data.Common;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Artifacts;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// The artifact store on the host's database: the <c>Artifacts</c> table of <c>db/&lt;engine&gt;/*-artifacts.sql</c>,
/// in the SQLite file or in PostgreSQL (the statements are the same on both).
/// </summary>
public sealed class SqlArtifactStore(DbDataSource database, TimeProvider clock) : IArtifactStore
{
    public async Task<StoredFileInfo> PutAsync(string scope, string name, string contentType, byte[] content, long expiresAt, CancellationToken cancellationToken, string? description = null)
    {
        await using var command = Command("""
            INSERT INTO Artifacts (Scope, Name, ContentType, Size, Content, CreatedAt, ExpiresAt, Description)
            VALUES (@scope, @name, @type, @size, @content, @now, @expires, @description)
            ON CONFLICT (Scope, Name) DO UPDATE SET
                ContentType = excluded.ContentType, Size = excluded.Size, Content = excluded.Content,
                CreatedAt = excluded.CreatedAt, ExpiresAt = excluded.ExpiresAt, Description = excluded.Description
            """, ("scope", scope), ("name", name), ("type", contentType), ("size", content.LongLength), ("content", content), ("now", Now), ("expires", expiresAt),
            ("description", (object?)description ?? DBNull.Value));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new StoredFileInfo(name, content.LongLength, expiresAt) { Description = description };
    }

    public async Task<StoredArtifact?> GetAsync(string scope, string name, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT ContentType, Size, ExpiresAt, Content, Description FROM Artifacts WHERE Scope = @scope AND Name = @name AND ExpiresAt > @now",
            ("scope", scope), ("name", name), ("now", Now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var info = new StoredFileInfo(name, reader.GetInt64(1), reader.GetInt64(2)) { Description = Description(reader, 4) };
        return new StoredArtifact(info, reader.GetString(0), (byte[])reader.GetValue(3));
    }

    public async Task<ArtifactDescription?> DescribeAsync(string scope, string name, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT ContentType, Size, ExpiresAt, Description FROM Artifacts WHERE Scope = @scope AND Name = @name AND ExpiresAt > @now",
            ("scope", scope), ("name", name), ("now", Now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ArtifactDescription(new StoredFileInfo(name, reader.GetInt64(1), reader.GetInt64(2)) { Description = Description(reader, 3) }, reader.GetString(0))
            : null;
    }

    public async Task<byte[]> ReadAsync(string scope, string name, long offset, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0 || offset >= int.MaxValue)
        {
            return [];
        }

        // substr counts from 1 on SQLite's BLOBs and PostgreSQL's bytea alike, and answers the bytes that are there.
        await using var command = Command("""
            SELECT substr(Content, CAST(@start AS INTEGER), CAST(@count AS INTEGER)) FROM Artifacts
            WHERE Scope = @scope AND Name = @name AND ExpiresAt > @now
            """, ("scope", scope), ("name", name), ("now", Now), ("start", (int)offset + 1), ("count", count));
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] bytes ? bytes : [];
    }

    public async Task<IReadOnlyList<StoredFileInfo>> ListAsync(string scope, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT Name, Size, ExpiresAt, Description FROM Artifacts WHERE Scope = @scope AND ExpiresAt > @now ORDER BY Name",
            ("scope", scope), ("now", Now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var files = new List<StoredFileInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            files.Add(new StoredFileInfo(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)) { Description = Description(reader, 3) });
        }

        return files;
    }

    public async Task<bool> DeleteAsync(string scope, string name, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM Artifacts WHERE Scope = @scope AND Name = @name AND ExpiresAt > @now",
            ("scope", scope), ("name", name), ("now", Now));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public Task<int> DeleteScopeAsync(string scope, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM Artifacts WHERE Scope = @value", scope, cancellationToken);

    public Task<int> DeleteExpiredAsync(long now, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM Artifacts WHERE ExpiresAt <= @value", now, cancellationToken);

    private async Task<int> ExecuteAsync(string sql, object value, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, ("value", value));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Description(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A command on a pooled connection of its own (disposed with the command's batch of work).</summary>
    private DbCommand Command(string sql, params (string Name, object Value)[] parameters) => database.CreateCommand(sql).With(parameters);
}
