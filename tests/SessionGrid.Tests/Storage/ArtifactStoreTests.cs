using SessionGrid.Silo.Hosting;

namespace SessionGrid.Tests.Storage;

/// <summary>The embedded artifact store on a real SQLite file: replace, expiry and the sweep.</summary>
public sealed class ArtifactStoreTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("sessiongrid-artifacts-").FullName;
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    [Fact]
    public async Task Artifacts_are_scoped_replaced_by_name_hidden_once_expired_and_removed_by_the_sweep()
    {
        var connection = SqliteStore.ConnectionString(_dataDir);
        SqliteStore.Migrate(connection);
        var store = new SqlArtifactStore(SqliteStore.DataSource(connection), _clock);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var ct = TestContext.Current.CancellationToken;

        await store.PutAsync("s1", "a.txt", "text/plain", [1, 2, 3], now + 1000, ct);
        await store.PutAsync("s1", "b.txt", "text/plain", [4], now + 5000, ct);
        await store.PutAsync("s2", "a.txt", "text/csv", [9], now + 5000, ct);
        var replaced = await store.PutAsync("s1", "a.txt", "application/json", [7, 7], now + 2000, ct);
        Assert.Equal(2, replaced.Size);

        var a = await store.GetAsync("s1", "a.txt", ct);
        Assert.Equal([7, 7], a!.Content);
        Assert.Equal("application/json", a.ContentType);
        Assert.Equal([9], (await store.GetAsync("s2", "a.txt", ct))!.Content);
        Assert.Null(await store.GetAsync("s1", "missing.txt", ct));
        Assert.Equal(["a.txt", "b.txt"], (await store.ListAsync("s1", ct)).Select(f => f.Name));

        _clock.Now = _clock.Now.AddMilliseconds(2000);
        Assert.Null(await store.GetAsync("s1", "a.txt", ct));
        Assert.Equal(["b.txt"], (await store.ListAsync("s1", ct)).Select(f => f.Name));

        Assert.Equal(1, await store.DeleteExpiredAsync(_clock.GetUtcNow().ToUnixTimeMilliseconds(), ct));
        Assert.Equal(0, await store.DeleteExpiredAsync(_clock.GetUtcNow().ToUnixTimeMilliseconds(), ct));
        Assert.Equal(2, await store.DeleteExpiredAsync(now + 5000, ct));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
