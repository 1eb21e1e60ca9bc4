using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Recording;

/// <summary>
/// Where recordings and downloads live: the artifact store reads them in slices and deletes one at a time on SQLite
/// and on PostgreSQL alike, and a host on PostgreSQL (cluster storage) records, stores and serves a video by range.
/// </summary>
public sealed class RecordingStorageTests(PostgresServer server, TestPages pages) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_store_describes_reads_in_slices_and_deletes_one_artifact(string engine)
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-slices-").FullName;
        try
        {
            var store = engine == "sqlite" ? Sqlite(dataDir) : await PostgresAsync();
            var ct = TestContext.Current.CancellationToken;
            var bytes = RandomNumberGenerator.GetBytes(300_000);
            var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
            await store.PutAsync("s/recording", "video.webm", "video/webm", bytes, expires, ct);
            await store.PutAsync("s/recording", "other.webm", "video/webm", [1], expires, ct);

            var described = (await store.DescribeAsync("s/recording", "video.webm", ct))!;
            Assert.Equal(("video.webm", 300_000L, "video/webm"), (described.Info.Name, described.Info.Size, described.ContentType));
            Assert.Null(await store.DescribeAsync("s/recording", "missing.webm", ct));

            Assert.Equal(bytes[..1000], await store.ReadAsync("s/recording", "video.webm", 0, 1000, ct));
            Assert.Equal(bytes[123_456..223_456], await store.ReadAsync("s/recording", "video.webm", 123_456, 100_000, ct));
            Assert.Equal(bytes[299_990..], await store.ReadAsync("s/recording", "video.webm", 299_990, 1000, ct));
            Assert.Empty(await store.ReadAsync("s/recording", "video.webm", 300_000, 1000, ct));
            Assert.Empty(await store.ReadAsync("s/recording", "video.webm", 10, 0, ct));
            Assert.Empty(await store.ReadAsync("s/recording", "missing.webm", 0, 10, ct));

            Assert.True(await store.DeleteAsync("s/recording", "video.webm", ct));
            Assert.False(await store.DeleteAsync("s/recording", "video.webm", ct));
            Assert.Equal(["other.webm"], (await store.ListAsync("s/recording", ct)).Select(f => f.Name));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_host_on_postgres_records_stores_and_serves_the_video_by_range()
    {
        var database = await server.CreateDatabaseAsync();
        await PostgresStore.MigrateAsync(database, CancellationToken.None);
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-pg-rec-").FullName;
        try
        {
            await using var host = await SessionGridHost.StartAsync(dataDir, new Dictionary<string, string>
            {
                ["SessionGrid:Storage"] = "postgres",
                ["SessionGrid:ConnectionString"] = database,
                ["SessionGrid:Vault:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["SessionGrid:Node:Name"] = "pg-rec-" + Guid.NewGuid().ToString("N")[..6],
            });
            var client = host.Client();
            var session = new SdkStyleSession(client, await client.OpenSessionAsync(pages.Url("/rec/color/red")));
            await session.ActionAsync("wait", new JsonObject { ["selector"] = "#ready" });
            await session.SessionActionAsync("close");

            using var http = new HttpClient();
            var url = await session.RecordingUrlAsync();
            var whole = await http.GetByteArrayAsync(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(10, 19) } };
            using var slice = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, slice.StatusCode);
            Assert.Equal(whole[10..20], await slice.Content.ReadAsByteArrayAsync());
            using var file = TempVideo.Of(whole);
            Assert.True(await VideoProbe.DurationAsync(file.Path) > 0.4);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static SqlArtifactStore Sqlite(string dataDir)
    {
        var connection = SqliteStore.ConnectionString(dataDir);
        SqliteStore.Migrate(connection);
        return new SqlArtifactStore(SqliteStore.DataSource(connection), TimeProvider.System);
    }

    private async Task<SqlArtifactStore> PostgresAsync()
    {
        var database = await server.CreateDatabaseAsync();
        await PostgresStore.MigrateAsync(database, CancellationToken.None);
        return new SqlArtifactStore(PostgresStore.DataSource(database), TimeProvider.System);
    }
}
