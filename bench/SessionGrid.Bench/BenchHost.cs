using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Grains.Browser;
using SessionGrid.Silo.Hosting;

namespace SessionGrid.Bench;

/// <summary>
/// SessionGrid as the executable builds it (<see cref="SessionGridApp.Build"/>), in this process, on free loopback
/// ports with a data folder of its own, reached over real HTTP with one API key.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string Key = "bench-key";
    private readonly WebApplication _app;
    private readonly string _dataDir;

    private BenchHost(WebApplication app, string baseUrl, string dataDir, int warmContexts, int warmDedicated)
    {
        _app = app;
        WarmContexts = warmContexts;
        WarmDedicated = warmDedicated;
        BaseUrl = baseUrl;
        _dataDir = dataDir;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        Http.DefaultRequestHeaders.Add("apikey", Key);
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    /// <summary>The warm pool's size.</summary>
    public int WarmContexts { get; }

    /// <summary>How many dedicated browsers the host launches ahead.</summary>
    public int WarmDedicated { get; }

    /// <summary>
    /// Waits (up to a minute) until the warm pools (contexts and dedicated browsers) are full again: each measurement
    /// starts from a warm host, and the refill after the one before does not run beside it (raw Playwright's included).
    /// </summary>
    public async Task WarmAsync()
    {
        var browsers = _app.Services.GetRequiredService<BrowserHost>();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((browsers.WarmCount < WarmContexts || browsers.WarmDedicatedCount < WarmDedicated) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(500);
    }

    public static async Task<BenchHost> StartAsync(int warmContexts, int warmDedicated)
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-bench-").FullName;
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        string[] args =
        [
            $"--urls={baseUrl}",
            $"--SessionGrid:DataDir={dataDir}",
            $"--SessionGrid:ApiKeys:0={Key}",
            $"--SessionGrid:Orleans:SiloPort={FreePort()}",
            $"--SessionGrid:Orleans:GatewayPort={FreePort()}",
            $"--SessionGrid:Browser:WarmContexts={warmContexts}",
            $"--SessionGrid:Browser:WarmDedicated={warmDedicated}",
            "--SessionGrid:Browser:MaxContexts=1000",
            "--SessionGrid:Session:MaxQueuedCommands=1000",
            // The benchmark measures the engine, not the per-key limits that protect it.
            "--SessionGrid:Limits:RequestsPerSecond=0",
            "--SessionGrid:Limits:MaxConcurrentSessions=0",
            "--Logging:LogLevel:Default=Warning",
        ];
        var app = SessionGridApp.Build(args, TextWriter.Null);
        await app.StartAsync();
        return new BenchHost(app, baseUrl, dataDir, warmContexts, warmDedicated);
    }

    /// <summary>POST/GET/DELETE with a JSON body; the answer's status and JSON.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
