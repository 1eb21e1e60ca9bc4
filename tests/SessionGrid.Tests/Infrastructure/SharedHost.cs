namespace SessionGrid.Tests.Infrastructure;

/// <summary>One host shared by the tests of a collection (default settings, keys A and B).</summary>
public sealed class SharedHost : IAsyncLifetime
{
    public SessionGridHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await SessionGridHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SharedHostCollection : ICollectionFixture<SharedHost>
{
    public const string Name = "shared host";
}
