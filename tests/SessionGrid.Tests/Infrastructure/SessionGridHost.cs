using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionGrid.Grains.Browser;
using SessionGrid.Silo.Hosting;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// A real SessionGrid host in this process: the same <see cref="SessionGridApp.Build"/> as the executable, listening
/// on a free loopback port, with its own data folder and Orleans ports, reached over real HTTP.
/// </summary>
public sealed class SessionGridHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SessionGridHost(WebApplication app, string baseUrl, string dataDir)
    {
        _app = app;
        BaseUrl = baseUrl;
        DataDir = dataDir;
    }

    public string BaseUrl { get; }
    public string DataDir { get; }

    /// <summary>This host's node name (its silo name), as the Browsing API reports it.</summary>
    public string NodeName => _app.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().Name;
    public IServiceProvider Services => _app.Services;
    public BrowserHost Browsers => _app.Services.GetRequiredService<BrowserHost>();

    /// <param name="configure">Last changes to the builder (a test adds its telemetry exporters).</param>
    public static async Task<SessionGridHost> StartAsync(
        string? dataDir = null, IDictionary<string, string>? settings = null, TextWriter? console = null, Action<WebApplicationBuilder>? configure = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("sessiongrid-test-").FullName;
        var baseUrl = $"http://127.0.0.1:{Ports.Free()}";
        var all = TestHostSettings.For(dataDir);
        all["urls"] = baseUrl;
        all["SessionGrid:Browser:WarmContexts"] = "1";
        // No idle dedicated browser beside every test host (tests that want one ask for it).
        all["SessionGrid:Browser:WarmDedicated"] = "0";
        // Tests leave sessions to their idle timeout: a shared host must not run out of capacity on them.
        all["SessionGrid:Browser:MaxContexts"] = "1000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        // A given console also receives the host's log (at the levels the settings ask for; the default is Warning).
        var app = SessionGridApp.Build([.. all.Select(kv => $"--{kv.Key}={kv.Value}")], console ?? TextWriter.Null, builder =>
        {
            if (console is not null)
            {
                builder.Logging.AddProvider(new TextWriterLoggerProvider(console));
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new SessionGridHost(app, baseUrl, dataDir);
    }

    public TaskApiClient Client(string key = TestKeys.A) => new(new HttpClient { BaseAddress = new Uri(BaseUrl) }, key);

    public BrowsingClient BrowsingClient(string? key = TestKeys.A) =>
        new(new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(3) }, key);

    public BrowserSessionClient SessionClient(string? key = TestKeys.A) =>
        new(new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(3) }, key);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
