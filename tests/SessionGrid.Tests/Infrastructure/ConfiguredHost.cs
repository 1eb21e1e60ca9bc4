namespace SessionGrid.Tests.Infrastructure;

/// <summary>One host for the tests of a class, started with <paramref name="settings"/>; its data folder is deleted after.</summary>
public abstract class ConfiguredHost(IDictionary<string, string> settings) : IAsyncLifetime
{
    public SessionGridHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await SessionGridHost.StartAsync(settings: settings);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}
