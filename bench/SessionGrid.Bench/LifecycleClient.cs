using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Bench;

/// <summary>
/// The external client of point i (<c>SessionGrid.Bench client &lt;plan&gt;</c>, a process of its own): what a user's
/// BrowserArena-style script does, over plain HTTP and CDP, with Microsoft.Playwright (the same Node driver that
/// playwright-core is). SessionGrid's lifecycle: <c>POST /api/v1/browser/sessions</c> with <c>isolation: dedicated</c>
/// (create, its <c>cdpUrl</c>), <c>ConnectOverCDPAsync</c> (connect), the session's page <c>GotoAsync</c> to a bench
/// page with DOMContentLoaded (goto), disconnect and <c>DELETE</c> (release). Beside it, in the same process and run:
/// a raw Chromium already running with its DevTools endpoint (connect, then a new context and page, goto, close the
/// context and disconnect), and a Chromium this client launched itself (a new context and page, goto, close the
/// context). Each runs sequentially, then in bursts that start on a fixed schedule whatever the previous one left
/// (nothing waits for a pool to fill). SessionGrid also runs sequentially first of all, its pool at its idle size.
/// Prints one JSON object, every lifecycle's stages, on stdout.
/// </summary>
public static class LifecycleClient
{
    /// <summary>
    /// What the bench process tells its client to do, as JSON on the command line. <paramref name="PauseMs"/>: how long
    /// the client pauses after SessionGrid's first point, before the raw targets' (a user's scripts are that far apart):
    /// the refills SessionGrid starts after a run then do not slow the raw targets.
    /// </summary>
    public sealed record Plan(
        string BaseUrl, string Key, string Page, string RawCdpEndpoint, int Sequential, IReadOnlyList<Burst> Bursts, int TimeoutSeconds, int PauseMs);

    /// <summary><paramref name="Count"/> bursts of <paramref name="Size"/> lifecycles, one every <paramref name="PeriodMs"/>.</summary>
    public sealed record Burst(int Size, int Count, int PeriodMs);

    /// <summary>The targets compared: SessionGrid, a raw Chromium over CDP, a raw Playwright context.</summary>
    public static readonly string[] Targets = ["sessiongrid", "raw_cdp", "raw_context"];

    /// <summary>What the client writes on stderr as a point starts (the target and point follow).</summary>
    public const string PointMarker = "point: ";

    public static async Task<int> RunAsync(string planJson)
    {
        var plan = JsonSerializer.Deserialize<Plan>(planJson, JsonSerializerOptions.Web)!;
        using var playwright = await Playwright.CreateAsync();
        await using var own = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumLocator.Find(null), Headless = true, ChromiumSandbox = !BenchRunner.IsRoot(), Args = BenchRunner.Flags,
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
        {
            BaseAddress = new Uri(plan.BaseUrl), Timeout = TimeSpan.FromSeconds(plan.TimeoutSeconds),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", plan.Key);
        var lifecycles = new Dictionary<string, Func<Task<Dictionary<string, double>>>>
        {
            ["sessiongrid"] = () => SessionGridAsync(http, playwright, plan.Page),
            ["raw_cdp"] = () => RawCdpAsync(playwright, plan.RawCdpEndpoint, plan.Page),
            ["raw_context"] = () => RawContextAsync(own, plan.Page),
        };

        // One untimed lifecycle of each raw target first (the client's JIT and Playwright's connection code), as a
        // script's first run would not be; SessionGrid's first lifecycles are its from_idle point.
        await lifecycles["raw_cdp"]();
        await lifecycles["raw_context"]();

        // SessionGrid as a user meets it after a quiet spell (its dedicated pool at its idle size); a pause, as between a
        // user's scripts, so that what SessionGrid does after that run (refilling its pool) does not slow the raw targets;
        // then the raw targets' points, and SessionGrid's, back to back with nothing waiting for its pool (it refills
        // while the raw ones run, as it would after a first script's run).
        var results = new JsonObject();
        Console.Error.WriteLine($"{PointMarker}sessiongrid/from_idle");
        var fromIdle = await SequentialAsync(lifecycles["sessiongrid"], plan.Sequential);
        Console.Error.WriteLine($"{PointMarker}pause");
        await Task.Delay(plan.PauseMs);
        foreach (var target in Targets.Skip(1).Append(Targets[0]))
        {
            var started = Stopwatch.GetTimestamp();
            Console.Error.WriteLine($"{PointMarker}{target}/sequential");
            var points = new JsonObject { ["sequential"] = await SequentialAsync(lifecycles[target], plan.Sequential) };
            foreach (var burst in plan.Bursts)
            {
                Console.Error.WriteLine($"{PointMarker}{target}/burst_{burst.Size}");
                points[$"burst_{burst.Size}"] = await BurstsAsync(lifecycles[target], burst);
            }

            points["seconds"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 2);
            results[target] = points;
        }

        results["sessiongrid"]!["sequential_from_idle"] = fromIdle;
        Console.Out.WriteLine(results.ToJsonString());
        return 0;
    }

    /// <summary>Runs a plan in a client process of its own and answers what it printed; <paramref name="pointStarts"/> hears each point start.</summary>
    public static async Task<JsonObject> RunProcessAsync(Plan plan, TextWriter log, Action<string> pointStarts)
    {
        var dll = typeof(LifecycleClient).Assembly.Location;
        var apphost = Path.ChangeExtension(dll, null);
        var start = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { "exec", dll } };
        start.ArgumentList.Add("client");
        start.ArgumentList.Add(JsonSerializer.Serialize(plan, JsonSerializerOptions.Web));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the lifecycle client did not start");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(PointMarker, StringComparison.Ordinal) == true)
            {
                pointStarts(e.Data[PointMarker.Length..]);
            }
            else if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() is not { } last)
        {
            throw new InvalidOperationException($"the lifecycle client exited with {process.ExitCode}: {errors}");
        }

        log.Write(errors.ToString());
        return JsonNode.Parse(last)!.AsObject();
    }

    private static async Task<JsonArray> SequentialAsync(Func<Task<Dictionary<string, double>>> lifecycle, int times)
    {
        var runs = new JsonArray();
        for (var i = 0; i < times; i++)
        {
            runs.Add(await OneAsync(lifecycle));
        }

        return runs;
    }

    /// <summary>Each burst starts at its time on the schedule, even while the one before still runs.</summary>
    private static async Task<JsonArray> BurstsAsync(Func<Task<Dictionary<string, double>>> lifecycle, Burst burst)
    {
        var started = Stopwatch.GetTimestamp();
        var bursts = new List<Task<JsonNode?[]>>();
        for (var i = 0; i < burst.Count; i++)
        {
            var wait = TimeSpan.FromMilliseconds(i * burst.PeriodMs) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            bursts.Add(Task.WhenAll(Enumerable.Range(0, burst.Size).Select(_ => Task.Run(() => OneAsync(lifecycle)))));
        }

        return new JsonArray([.. (await Task.WhenAll(bursts)).SelectMany(runs => runs)]);
    }

    /// <summary>One lifecycle's stages (ms), or its failure.</summary>
    private static async Task<JsonNode?> OneAsync(Func<Task<Dictionary<string, double>>> lifecycle)
    {
        try
        {
            return new JsonObject([.. (await lifecycle()).Select(stage => KeyValuePair.Create(stage.Key, (JsonNode?)Math.Round(stage.Value, 2)))]);
        }
        catch (Exception ex) when (ex is PlaywrightException or InvalidOperationException or TimeoutException or HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"lifecycle failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            return new JsonObject { ["failed"] = ex.Message.Split('\n')[0] };
        }
    }

    private static async Task<Dictionary<string, double>> SessionGridAsync(HttpClient http, IPlaywright playwright, string url)
    {
        var clock = new Stages();
        using var created = await http.PostAsync("/api/v1/browser/sessions", new StringContent("""{"isolation":"dedicated"}""", Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync());
        if (!created.IsSuccessStatusCode || body?["cdpUrl"]?.GetValue<string>() is not { } cdpUrl)
        {
            throw new InvalidOperationException($"POST /browser/sessions answered {(int)created.StatusCode}: {body?.ToJsonString()}");
        }

        var id = body["id"]!.GetValue<string>();
        clock.Lap("create");
        try
        {
            var browser = await playwright.Chromium.ConnectOverCDPAsync(cdpUrl);
            clock.Lap("connect");
            var context = browser.Contexts[0];
            var page = context.Pages.FirstOrDefault() ?? await context.NewPageAsync();
            await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            clock.Lap("goto");
            await browser.CloseAsync();
        }
        finally
        {
            using var deleted = await http.DeleteAsync($"/api/v1/browser/sessions/{id}");
            clock.Lap("release");
            deleted.EnsureSuccessStatusCode();
        }

        return clock.Done();
    }

    private static async Task<Dictionary<string, double>> RawCdpAsync(IPlaywright playwright, string endpoint, string url)
    {
        var clock = new Stages();
        var browser = await playwright.Chromium.ConnectOverCDPAsync(endpoint);
        clock.Lap("connect");
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        clock.Lap("create");
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        clock.Lap("goto");
        await context.CloseAsync();
        await browser.CloseAsync();
        clock.Lap("release");
        return clock.Done();
    }

    private static async Task<Dictionary<string, double>> RawContextAsync(IBrowser own, string url)
    {
        var clock = new Stages();
        var context = await own.NewContextAsync();
        var page = await context.NewPageAsync();
        clock.Lap("create");
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        clock.Lap("goto");
        await context.CloseAsync();
        clock.Lap("release");
        return clock.Done();
    }

    /// <summary>A lifecycle's clock: each stage's time since the last, and the total.</summary>
    private sealed class Stages
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly Dictionary<string, double> _stages = [];
        private double _last;

        public void Lap(string stage)
        {
            var now = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            _stages[stage] = now - _last;
            _last = now;
        }

        public Dictionary<string, double> Done()
        {
            _stages["total"] = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
            return _stages;
        }
    }
}
