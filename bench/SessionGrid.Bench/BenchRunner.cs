using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Bench;

/// <summary>
/// One benchmark run: starts pages, a raw Chromium and SessionGrid in this process, runs every measurement, writes
/// the figures as JSON (<c>results/&lt;time&gt;.json</c>) and appends a dated table with the targets to <c>RESULTS.md</c>.
/// </summary>
public static class BenchRunner
{
    /// <summary>The raw Chromium's flags: the same a SessionGrid host launches its browsers with.</summary>
    private static readonly string[] Flags =
        ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", ChromiumFeatures.DisableSwitch];

    /// <summary>
    /// The warm pool of the full run: every workflow of (a) back to back, and a batch of (b), served from the pool
    /// without its refill dropping to the low-water mark (a quarter), where it would refill beside the measured work.
    /// </summary>
    public const int WarmContexts = 48;

    /// <summary>
    /// The dedicated browsers launched ahead for the full run's (f): a batch of ten, and most of the thirty back-to-back
    /// lifecycles (a launch takes longer than a lifecycle, so no pool refills as fast as they arrive).
    /// </summary>
    public const int WarmDedicated = 20;

    /// <param name="only">The measurements to run (their letters, a–f); all when empty. A partial run writes its JSON but no RESULTS.md table.</param>
    public static async Task<JsonObject> RunAsync(bool quick, string outputFolder, TextWriter log, IReadOnlySet<char>? only = null)
    {
        bool Wanted(string name) => only is null || only.Count == 0 || only.Contains(name[0]);
        var sizes = quick ? BenchSizes.Quick : BenchSizes.Full;
        var (warmContexts, warmDedicated) = quick ? (8, 2) : (WarmContexts, WarmDedicated);
        await using var pages = await BenchPages.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        var raw = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumLocator.Find(null) ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium)"),
            Headless = true,
            ChromiumSandbox = !IsRoot(),
            Args = Flags,
        });
        var results = new JsonObject
        {
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            ["mode"] = quick ? "quick" : "full",
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["memory_gb"] = MemoryGb(),
                ["chromium"] = raw.Version,
                ["dotnet"] = RuntimeInformation.FrameworkDescription,
            },
            ["warm_contexts"] = warmContexts,
            ["warm_dedicated"] = warmDedicated,
        };

        // a–e on a host with the warm context pool; f on one with the warm dedicated browsers (whose idle Chromium
        // processes would otherwise run beside a–e).
        await using (var host = await BenchHost.StartAsync(warmContexts, warmDedicated: 0))
        {
            await MeasureSharedAsync(new Measurements(host, pages, raw, sizes), host, results, Wanted, log);
        }

        if (Wanted("f"))
        {
            await using var dedicatedHost = await BenchHost.StartAsync(warmContexts: 2, warmDedicated);
            log.WriteLine("measuring f_connect_lifecycle …");
            results["f_connect_lifecycle"] = await MeasureConnectsAsync(dedicatedHost, pages, playwright, raw, sizes.Connects);
        }

        await raw.CloseAsync();
        Write(results, outputFolder);
        return results;
    }

    private static async Task MeasureSharedAsync(Measurements measure, BenchHost host, JsonObject results, Func<string, bool> wanted, TextWriter log)
    {
        foreach (var (name, run) in new (string, Func<Task<JsonObject>>)[]
        {
            ("a_workflow_ms", measure.WorkflowAsync),
            ("b_open_ms", measure.OpenLatencyAsync),
            ("c_load", measure.LoadAsync),
            ("d_density", measure.DensityAsync),
            ("e_api", measure.ApiAsync),
            ("h_mcp_round_trip_ms", measure.McpRoundTripAsync),
        }.Where(m => wanted(m.Item1)))
        {
            log.WriteLine($"measuring {name} …");
            await host.WarmAsync(); // each point starts from a full warm pool
            results[name] = await run();
        }
    }

    /// <summary>f, beside a raw Chromium's DevTools endpoint (a persistent context, like a dedicated session's).</summary>
    private static async Task<JsonObject> MeasureConnectsAsync(BenchHost host, BenchPages pages, IPlaywright playwright, IBrowser raw, int times)
    {
        JsonObject connects;
        var cdpProfile = Directory.CreateTempSubdirectory("sessiongrid-bench-cdp-").FullName;
        await using (var rawCdp = await playwright.Chromium.LaunchPersistentContextAsync(cdpProfile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumLocator.Find(null),
            Headless = true,
            ChromiumSandbox = !IsRoot(),
            Args = [.. Flags, "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1"],
        }))
        {
            var port = (await File.ReadAllLinesAsync(Path.Combine(cdpProfile, "DevToolsActivePort")))[0];
            connects = await new ConnectLifecycle(host, pages, playwright, raw, $"http://127.0.0.1:{port}", times).MeasureAsync();
        }

        Directory.Delete(cdpProfile, recursive: true);
        return connects;
    }

    /// <summary>Whether a run measured every point (a partial run, <c>--only</c>, has no targets table).</summary>
    public static bool IsComplete(JsonObject results) =>
        new[] { "a_workflow_ms", "b_open_ms", "c_load", "d_density", "e_api", "f_connect_lifecycle" }.All(results.ContainsKey);

    /// <summary>The targets of issue 10 against a run's figures.</summary>
    public static IReadOnlyList<(string Target, string Figure, bool Met)> Targets(JsonObject r)
    {
        double At(string path) => double.Parse(path.Split('.').Aggregate((JsonNode)r, (node, key) => node[key]!).ToJsonString(), CultureInfo.InvariantCulture);
        return
        [
            ("a. workflow through the Task API ≤ 1.15 × raw Playwright (p50)", $"{At("a_workflow_ms.ratio_task_api_p50")}×", At("a_workflow_ms.ratio_task_api_p50") <= 1.15),
            ("a. one Browser Session API task ≤ 1.15 × raw Playwright (p50)", $"{At("a_workflow_ms.ratio_browser_session_p50")}×", At("a_workflow_ms.ratio_browser_session_p50") <= 1.15),
            ("b. open p50 ≤ 25 ms at concurrency 1", $"{At("b_open_ms.sessiongrid_concurrency_1.p50")} ms", At("b_open_ms.sessiongrid_concurrency_1.p50") <= 25),
            ("b. open p99 ≤ 150 ms at concurrency 10", $"{At("b_open_ms.sessiongrid_concurrency_10.p99")} ms", At("b_open_ms.sessiongrid_concurrency_10.p99") <= 150),
            ("c. p99 action latency, 20 sessions back to back, ≤ 2 × one session's", $"{At("c_load.p99_ratio")}×", At("c_load.p99_ratio") <= 2),
            ("c. p99 action latency, 20 sessions at 10 actions/s each, ≤ 2 × one session's", $"{At("c_load.paced_p99_ratio")}×", At("c_load.paced_p99_ratio") <= 2),
            ("d. ≤ 40 MB per idle session (sum of RSS)", $"{At("d_density.mb_per_idle_session")} MB", At("d_density.mb_per_idle_session") <= 40),
            ("d. ≤ 40 MB per idle session (sum of PSS)", $"{At("d_density.pss_mb_per_idle_session")} MB", At("d_density.pss_mb_per_idle_session") <= 40),
            ("e. ≥ 5,000 GET /task per second", $"{At("e_api.requests_per_second")}/s", At("e_api.requests_per_second") >= 5000),
            ("e. GET /task p99 ≤ 10 ms", $"{At("e_api.latency_ms.p99")} ms", At("e_api.latency_ms.p99") <= 10),
            ("f. connect lifecycle, sequential, total p50 ≤ 150 ms", $"{At("f_connect_lifecycle.sequential.total.p50")} ms", At("f_connect_lifecycle.sequential.total.p50") <= 150),
            ("f. connect lifecycle, 10 in parallel, total p50 ≤ 1.5 s and no failure", $"{At("f_connect_lifecycle.parallel_10.total.p50")} ms, {At("f_connect_lifecycle.failures")} failed",
                At("f_connect_lifecycle.parallel_10.total.p50") <= 1500 && At("f_connect_lifecycle.failures") == 0),
        ];
    }

    private static void Write(JsonObject results, string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "results"));
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(folder, "results", $"{stamp}-{results["mode"]}.json"),
            results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        if (!IsComplete(results))
        {
            return;
        }

        var machine = results["machine"]!;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {results["date"]} ({results["mode"]} run)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{machine["cores"]} cores, {machine["memory_gb"]} GB, Chromium {machine["chromium"]}, {machine["dotnet"]}.");
        md.AppendLine();
        md.AppendLine("| Target | Figure | Met |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, figure, met) in Targets(results))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {figure} | {(met ? "yes" : "no")} |");
        }

        var a = results["a_workflow_ms"]!;
        var b = results["b_open_ms"]!;
        var c = results["c_load"]!;
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- a. workflow p50/p95 ms: raw {a["raw_playwright"]!["p50"]}/{a["raw_playwright"]!["p95"]}, Task API {a["task_api_events"]!["p50"]}/{a["task_api_events"]!["p95"]}, Browser Session task {a["browser_session_task"]!["p50"]}/{a["browser_session_task"]!["p95"]}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- b. open p50/p95/p99 ms: concurrency 1 {Triple(b["sessiongrid_concurrency_1"]!)}, concurrency 10 {Triple(b["sessiongrid_concurrency_10"]!)}, raw context+page {Triple(b["raw_context_and_page"]!)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- c. {c["concurrent_sessions"]} sessions back to back: {c["loaded"]!["actions_per_second"]} actions/s, p99 {c["loaded"]!["latency_ms"]!["p99"]} ms (one session alone: p99 {c["single_session"]!["latency_ms"]!["p99"]} ms); paced: {c["paced"]!["actions_per_second"]} actions/s, p99 {c["paced"]!["latency_ms"]!["p99"]} ms; raw Playwright pages back to back: {c["raw_loaded"]!["actions_per_second"]} actions/s, p99 {c["raw_loaded"]!["latency_ms"]!["p99"]} ms (one page alone: p99 {c["raw_single_page"]!["latency_ms"]!["p99"]} ms, ratio {c["raw_p99_ratio"]}×)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- d. {results["d_density"]!["idle_sessions"]} idle sessions: {results["d_density"]!["mb_per_idle_session"]} MB each by RSS, {results["d_density"]!["pss_mb_per_idle_session"]} MB by PSS (process tree RSS {results["d_density"]!["rss_before_mb"]} → {results["d_density"]!["rss_after_mb"]} MB)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- e. {results["e_api"]!["clients"]} clients: {results["e_api"]!["requests_per_second"]} requests/s, p50/p99 {results["e_api"]!["latency_ms"]!["p50"]}/{results["e_api"]!["latency_ms"]!["p99"]} ms");
        var f = results["f_connect_lifecycle"]!;
        md.AppendLine(CultureInfo.InvariantCulture, $"- f. connect lifecycle p50 ms (open/connect/goto/close/total): sequential {Stages(f["sequential"]!)}, 10 in parallel {Stages(f["parallel_10"]!)}, {f["failures"]} failed; raw Chromium over CDP (connect+page+goto) p50 {f["raw_chromium_cdp_ms"]!["p50"]}, raw Playwright context+page+goto p50 {f["raw_playwright_context_ms"]!["p50"]}");
        md.AppendLine();
        var path = Path.Combine(folder, "RESULTS.md");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "# Benchmark results\n\nWritten by `./bench.sh` (see [docs/performance.md](../docs/performance.md)); newest last.\n\n");
        }

        File.AppendAllText(path, md.ToString());
    }

    private static string Stages(JsonNode stages) =>
        string.Join("/", new[] { "open", "connect", "goto", "close", "total" }.Select(s => stages[s]!["p50"]!.ToString()));

    private static string Triple(JsonNode stats) => $"{stats["p50"]}/{stats["p95"]}/{stats["p99"]}";

    private static double MemoryGb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0, 1);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private static bool IsRoot() => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;
}
