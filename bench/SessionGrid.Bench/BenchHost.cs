using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Http;
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

    private BenchHost(WebApplication app, string baseUrl, string dataDir)
    {
        _app = app;
        var options = app.Services.GetRequiredService<IOptions<BrowserOptions>>().Value;
        WarmContexts = options.WarmContexts;
        WarmDedicated = options.WarmDedicated;
        BaseUrl = baseUrl;
        _dataDir = dataDir;
        Http = CreateClient(maxConnections: 256, TimeSpan.FromMinutes(2));
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    /// <summary>The warm pool's size.</summary>
    public int WarmContexts { get; }

    /// <summary>How many dedicated browsers the host launches ahead.</summary>
    public int WarmDedicated { get; }

    /// <summary>How long the host holds a Task API read while the task has work in flight (<c>SessionGrid:Api:LongPollSeconds</c>; 0: off).</summary>
    public double LongPollSeconds => _app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.LongPollSeconds;

    /// <summary>Another client of this host with the API key, for a measurement that needs more connections than <see cref="Http"/> has.</summary>
    public HttpClient CreateClient(int maxConnections, TimeSpan timeout)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections }) { BaseAddress = new Uri(BaseUrl), Timeout = timeout };
        client.DefaultRequestHeaders.Add("apikey", Key);
        return client;
    }

    /// <summary>
    /// Waits (up to a minute) until the warm pools (contexts, and dedicated browsers at their present size) are full again: each measurement
    /// starts from a warm host, and the refill after the one before does not run beside it (raw Playwright's included).
    /// </summary>
    public async Task WarmAsync()
    {
        var browsers = _app.Services.GetRequiredService<BrowserHost>();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((browsers.WarmCount < WarmContexts || browsers.WarmDedicatedCount < browsers.WarmDedicatedTarget) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(500);
    }

    /// <param name="settings">More settings, as <c>Section:Key=value</c> (<c>SessionGrid:Api:LongPollSeconds=0</c>, say).</param>
    public static Task<BenchHost> StartAsync(int warmContexts, int warmDedicated, params string[] settings) => StartDefaultAsync(
    [
        $"SessionGrid:Browser:WarmContexts={warmContexts}",
        $"SessionGrid:Browser:WarmDedicated={warmDedicated}",
        // A measurement's pool is full from the start (f waits for it between lifecycles) and keeps its size.
        $"SessionGrid:Browser:WarmDedicatedIdle={warmDedicated}",
        $"SessionGrid:Browser:WarmDedicatedMax={warmDedicated}",
        "SessionGrid:Browser:MaxContexts=1000",
        "SessionGrid:Session:MaxQueuedCommands=1000",
        // The benchmark measures the engine, not the per-key limits that protect it.
        "SessionGrid:Limits:RequestsPerSecond=0",
        "SessionGrid:Limits:MaxConcurrentSessions=0",
        .. settings,
    ]);

    /// <summary>A host with every setting at its default (a user's first start) but its ports, data folder and key, and <paramref name="settings"/>.</summary>
    public static async Task<BenchHost> StartDefaultAsync(params string[] settings)
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
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(setting => "--" + setting),
        ];
        var app = SessionGridApp.Build(args, TextWriter.Null);
        await app.StartAsync();
        return new BenchHost(app, baseUrl, dataDir);
    }

    /// <summary>How long a session waits for capacity before it fails (<c>SessionGrid:Browser:QueueTimeoutSeconds</c>).</summary>
    public int QueueTimeoutSeconds => _app.Services.GetRequiredService<IOptions<BrowserOptions>>().Value.QueueTimeoutSeconds;

    /// <summary>This host's browsers.</summary>
    public BrowserHost Browsers => _app.Services.GetRequiredService<BrowserHost>();

    /// <summary>
    /// Opens a Task API session (<c>POST /api/v1/task</c> without a task), on <paramref name="url"/> when given, with
    /// <c>enable_recording</c> as given (null: the default, on); answers its id.
    /// </summary>
    public async Task<string> OpenTaskSessionAsync(string? url, bool? enableRecording = null)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/task", new JsonObject { ["task"] = null, ["url"] = url, ["enable_recording"] = enableRecording });
        return status == HttpStatusCode.OK
            ? body!["r"]!["id"]!.GetValue<string>()
            : throw new InvalidOperationException($"POST /task answered {status}");
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
