using Microsoft.Data.Sqlite;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Artifacts;

namespace SessionGrid.Silo.Hosting;

/// <summary>The embedded artifact store: the <c>Artifacts</c> table of the SQLite file (<c>db/sqlite/0002-artifacts.sql</c>).</summary>
public sealed class SqliteArtifactStore(string connectionString, TimeProvider clock) : IArtifactStore
{
    public async Task<StoredFileInfo> PutAsync(string scope, string name, string contentType, byte[] content, long expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO Artifacts (Scope, Name, ContentType, Size, Content, CreatedAt, ExpiresAt)
            VALUES ($scope, $name, $type, $size, $content, $now, $expires)
            ON CONFLICT (Scope, Name) DO UPDATE SET
                ContentType = excluded.ContentType, Size = excluded.Size, Content = excluded.Content,
                CreatedAt = excluded.CreatedAt, ExpiresAt = excluded.ExpiresAt
            """;
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$type", contentType);
        command.Parameters.AddWithValue("$size", content.LongLength);
        command.Parameters.AddWithValue("$content", content);
        command.Parameters.AddWithValue("$now", Now);
        command.Parameters.AddWithValue("$expires", expiresAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new StoredFileInfo(name, content.LongLength, expiresAt);
    }

    public async Task<StoredArtifact?> GetAsync(string scope, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ContentType, Size, ExpiresAt, Content FROM Artifacts WHERE Scope = $scope AND Name = $name AND ExpiresAt > $now";
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", Now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var info = new StoredFileInfo(name, reader.GetInt64(1), reader.GetInt64(2));
        return new StoredArtifact(info, reader.GetString(0), (byte[])reader.GetValue(3));
    }

    public async Task<IReadOnlyList<StoredFileInfo>> ListAsync(string scope, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Name, Size, ExpiresAt FROM Artifacts WHERE Scope = $scope AND ExpiresAt > $now ORDER BY Name";
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$now", Now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var files = new List<StoredFileInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            files.Add(new StoredFileInfo(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return files;
    }

    public async Task<int> DeleteScopeAsync(string scope, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM Artifacts WHERE Scope = $scope";
        command.Parameters.AddWithValue("$scope", scope);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteExpiredAsync(long now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM Artifacts WHERE ExpiresAt <= $now";
        command.Parameters.AddWithValue("$now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
