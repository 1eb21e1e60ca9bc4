using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SessionGrid.Silo.Hosting;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// The real host as <see cref="SessionGridApp.Build"/> makes it from exactly the given settings (unlike
/// <see cref="SessionGridHost"/>: no test keys, no log level), with its own data folder, loopback URL and Orleans ports,
/// not started: a test starts it, or checks what its start would refuse. Its console output and its log go to
/// <see cref="Output"/>. Disposing stops it and deletes the data folder.
/// </summary>
public sealed class BuiltHost : IAsyncDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("sessiongrid-built-").FullName;

    public BuiltHost(IDictionary<string, string> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string>
        {
            ["urls"] = BaseUrl = $"http://127.0.0.1:{Ports.Free()}",
            ["SessionGrid:DataDir"] = _dataDir,
            ["SessionGrid:Orleans:SiloPort"] = Ports.Free().ToString(),
            ["SessionGrid:Orleans:GatewayPort"] = Ports.Free().ToString(),
            ["SessionGrid:Browser:WarmContexts"] = "0",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        App = SessionGridApp.Build([.. all.Select(kv => $"--{kv.Key}={kv.Value}")], Output, builder =>
        {
            builder.Logging.AddProvider(new TextWriterLoggerProvider(Output));
            configure?.Invoke(builder);
        });
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public string DataDir => _dataDir;

    public LogCapture Output { get; } = new();

    public async ValueTask DisposeAsync()
    {
        if (App.Lifetime.ApplicationStarted.IsCancellationRequested)
        {
            await App.StopAsync();
        }

        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }
}
