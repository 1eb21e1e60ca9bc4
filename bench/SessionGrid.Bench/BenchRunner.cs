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
    public static readonly string[] Flags =
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

    /// <param name="only">The measurements to run (their letters, a–g); all when empty. A partial run writes its JSON but no RESULTS.md table.</param>
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
                ["load_average_at_start"] = LoadAverage(),
            },
            ["warm_contexts"] = warmContexts,
            ["warm_dedicated"] = warmDedicated,
        };

        // a–e and h on a host with the warm context pool (started only for them); f on one with the warm dedicated
        // browsers (whose idle Chromium processes would otherwise run beside a–e); g on hosts of its own (one with the
        // long-poll off).
        var shared = SharedPoints.Where(point => Wanted(point.Name)).ToList();
        if (shared.Count > 0)
        {
            await using var host = await BenchHost.StartAsync(warmContexts, warmDedicated: 0);
            await MeasureSharedAsync(new Measurements(host, pages, raw, sizes), host, shared, results, log);
        }

        if (only?.Contains('r') == true) // not part of a full run: it takes minutes and measures a setting, not a target
        {
            await using var host = await BenchHost.StartAsync(warmContexts, warmDedicated: 0);
            log.WriteLine("measuring r_recording …");
            results["r_recording"] = await RecordingBench.MeasureAsync(host, pages, raw, sizes, outputFolder);
        }

        if (Wanted("f"))
        {
            await using var dedicatedHost = await BenchHost.StartAsync(warmContexts: 2, warmDedicated);
            log.WriteLine("measuring f_connect_lifecycle …");
            results["f_connect_lifecycle"] = await MeasureConnectsAsync(dedicatedHost, pages, playwright, raw, sizes.Connects);
        }

        if (Wanted("i"))
        {
            log.WriteLine("measuring i_external_lifecycle …");
            results["i_external_lifecycle"] = await ExternalLifecycle.MeasureAsync(pages, playwright, quick, log);
        }

        if (Wanted("g"))
        {
            log.WriteLine("measuring g_sdk_command …");
            results["g_sdk_command"] = await new SdkCommandLatency(pages, raw, sizes).MeasureAsync();
        }

        await raw.CloseAsync();
        Write(results, outputFolder);
        return results;
    }

    /// <summary>The points measured on the host with the warm context pool, in order.</summary>
    private static readonly (string Name, Func<Measurements, Task<JsonObject>> Run)[] SharedPoints =
    [
        ("a_workflow_ms", m => m.WorkflowAsync()),
        ("b_open_ms", m => m.OpenLatencyAsync()),
        ("c_load", m => m.LoadAsync()),
        ("d_density", m => m.DensityAsync()),
        ("e_api", m => m.ApiAsync()),
        ("h_mcp_round_trip_ms", m => m.McpRoundTripAsync()),
    ];

    private static async Task MeasureSharedAsync(
        Measurements measure, BenchHost host, IEnumerable<(string Name, Func<Measurements, Task<JsonObject>> Run)> points, JsonObject results, TextWriter log)
    {
        foreach (var (name, run) in points)
        {
            log.WriteLine($"measuring {name} …");
            await host.WarmAsync(); // each point starts from a full warm pool
            results[name] = await run(measure);
        }
    }

    /// <summary>f, beside a raw Chromium's DevTools endpoint (a persistent context, like a dedicated session's).</summary>
    private static async Task<JsonObject> MeasureConnectsAsync(BenchHost host, BenchPages pages, IPlaywright playwright, IBrowser raw, int times)
    {
        await using var rawCdp = await RawCdpChromium.StartAsync(playwright);
        return await new ConnectLifecycle(host, pages, playwright, raw, rawCdp.Endpoint, times).MeasureAsync();
    }

    /// <summary>Whether a run measured every point (a partial run, <c>--only</c>, has no targets table).</summary>
    public static bool IsComplete(JsonObject results) =>
        new[] { "a_workflow_ms", "b_open_ms", "c_load", "d_density", "e_api", "f_connect_lifecycle", "g_sdk_command", "i_external_lifecycle" }.All(results.ContainsKey);

    /// <summary>The targets of issue 10 (a–f) and of the SDK-style command latency (g) against a run's figures.</summary>
    public static IReadOnlyList<(string Target, string Figure, bool Met)> Targets(JsonObject r) => [.. CoreTargets(r), .. SdkCommandTargets(r), .. ExternalLifecycleTargets(r)];

    /// <summary>i's targets (issue 24): the external client's lifecycle against a raw Chromium over CDP, in the same run.</summary>
    public static IReadOnlyList<(string Target, string Figure, bool Met)> ExternalLifecycleTargets(JsonObject r)
    {
        var i = r["i_external_lifecycle"]!;
        double At(string path) => BenchRunner.At(r, "i_external_lifecycle." + path);
        var targets = new List<(string, string, bool)>
        {
            ("i. external client, sequential, total p50 ≤ 0.6 × raw Chromium over CDP",
                $"{At("ratio_total_p50_vs_raw_cdp.sequential")}× ({At("sessiongrid.sequential.total.p50")} vs {At("raw_cdp.sequential.total.p50")} ms)",
                At("ratio_total_p50_vs_raw_cdp.sequential") <= 0.6),
        };
        foreach (var point in i["raw_cdp"]!.AsObject().Where(p => p.Key.StartsWith("burst_", StringComparison.Ordinal)).Select(p => p.Key))
        {
            var failures = At($"sessiongrid.{point}.failures");
            var maxCreate = At($"sessiongrid.{point}.create.max");
            var inTime = maxCreate <= At("queue_timeout_seconds") * 1000;
            var size = point["burst_".Length..];
            targets.Add(size == "10"
                ? ($"i. external client, bursts of {size}, total p50 ≤ 0.7 × raw Chromium over CDP and no failure",
                    $"{At($"ratio_total_p50_vs_raw_cdp.{point}")}× ({At($"sessiongrid.{point}.total.p50")} vs {At($"raw_cdp.{point}.total.p50")} ms), {failures} failed",
                    At($"ratio_total_p50_vs_raw_cdp.{point}") <= 0.7 && failures == 0)
                : ($"i. external client, bursts of {size}, no failure and no create waiting longer than the queue timeout",
                    $"{failures} failed, longest create {maxCreate} ms", failures == 0 && inTime));
        }

        return targets;
    }

    private static double At(JsonObject r, string path) =>
        double.Parse(path.Split('.').Aggregate((JsonNode)r, (node, key) => node[key]!).ToJsonString(), CultureInfo.InvariantCulture);

    private static IReadOnlyList<(string Target, string Figure, bool Met)> CoreTargets(JsonObject r)
    {
        double At(string path) => BenchRunner.At(r, path);
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

    /// <summary>g's targets: an SDK-style command within 50 ms of raw Playwright, and held polls that all answer, in order, promptly, without starving another session.</summary>
    public static IReadOnlyList<(string Target, string Figure, bool Met)> SdkCommandTargets(JsonObject r)
    {
        double At(string path) => BenchRunner.At(r, "g_sdk_command." + path);
        var held = r["g_sdk_command"]!["held_polls"]!;
        var allowed = SdkCommandLatency.AllowedOverheadMs;
        var rawTrivial = At("trivial.raw_playwright.p50");
        var inOrder = held["answers_in_result_order"]!.GetValue<bool>();
        var sound = At("held_polls.timeouts") == 0 && At("held_polls.errors") == 0 && At("held_polls.answered_before_result") == 0 && inOrder;
        var maxLag = held["max_lag_ms"]?.GetValue<double>();
        var side = held["side_session_ms"]?["p95"]?.GetValue<double>();
        return
        [
            ($"g. SDK-style evaluate_js (trivial) p50 ≤ raw Playwright + {allowed} ms",
                $"{At("trivial.sdk_style.p50")} ms vs raw {rawTrivial} ms ({At("trivial.ratio_p50")}×); long-poll off {At("long_poll_off_trivial.sdk_style.p50")} ms",
                At("trivial.sdk_style.p50") <= rawTrivial + allowed),
            ($"g. SDK-style evaluate_js (~20 ms) p50 ≤ raw Playwright + {allowed} ms",
                $"{At("wait_20ms.sdk_style.p50")} ms vs raw {At("wait_20ms.raw_playwright.p50")} ms ({At("wait_20ms.ratio_p50")}×)",
                At("wait_20ms.sdk_style.p50") <= At("wait_20ms.raw_playwright.p50") + allowed),
            ($"g. {held["polls"]} held polls on {held["sessions"]} sessions: none times out or fails, each answers with its session's result after it landed, in the order the results landed",
                $"{held["timeouts"]} timed out, {held["errors"]} failed, {held["answered_before_result"]} early, in order: {(inOrder ? "yes" : "no")} (results in wait order: {(held["results_landed_in_wait_order"]!.GetValue<bool>() ? "yes" : "no")})", sound),
            ($"g. a session's result to its last held poll's answer ≤ {SdkCommandLatency.AllowedLagMs} ms", $"{(maxLag is { } lag ? $"{lag} ms" : "no result")}",
                maxLag <= SdkCommandLatency.AllowedLagMs),
            ($"g. another session's SDK-style evaluate_js while the polls are held, p95 ≤ raw Playwright + {allowed} ms", $"{(side is { } p95 ? $"{p95} ms" : "no command")}",
                side <= rawTrivial + allowed),
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
        md.AppendLine(SdkCommandSummary(results["g_sdk_command"]!));
        md.AppendLine();
        md.Append(ExternalLifecycle.Table(results["i_external_lifecycle"]!, machine["load_average_at_start"]!.GetValue<double>()));
        md.AppendLine();
        var path = Path.Combine(folder, "RESULTS.md");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "# Benchmark results\n\nWritten by `./bench.sh` (see [docs/performance.md](../docs/performance.md)); newest last.\n\n");
        }

        File.AppendAllText(path, md.ToString());
    }

    /// <summary>g's figures in one line of RESULTS.md.</summary>
    public static string SdkCommandSummary(JsonNode g)
    {
        var held = g["held_polls"]!;
        var off = g["long_poll_off_trivial"]!;
        return string.Create(CultureInfo.InvariantCulture,
            $"- g. SDK-style evaluate_js p50/p95 ms (long-poll {g["long_poll_seconds"]} s): trivial {g["trivial"]!["sdk_style"]!["p50"]}/{g["trivial"]!["sdk_style"]!["p95"]} " +
            $"(raw Playwright {g["trivial"]!["raw_playwright"]!["p50"]}/{g["trivial"]!["raw_playwright"]!["p95"]}), ~20 ms {g["wait_20ms"]!["sdk_style"]!["p50"]}/{g["wait_20ms"]!["sdk_style"]!["p95"]} " +
            $"(raw {g["wait_20ms"]!["raw_playwright"]!["p50"]}/{g["wait_20ms"]!["raw_playwright"]!["p95"]}), {g["trivial"]!["reads_per_command"]} reads per command; " +
            $"long-poll off: trivial {off["sdk_style"]!["p50"]}/{off["sdk_style"]!["p95"]}, {off["poll_sleeps_per_command"]} poll-interval sleeps per command; " +
            $"poller kept connected (Python's async with): trivial {g["connected_trivial"]!["sdk_style"]!["p50"]}/{g["connected_trivial"]!["sdk_style"]!["p95"]}, {g["connected_trivial"]!["poll_sleeps_per_command"]} sleeps per command; " +
            $"{held["polls"]} held polls on {held["sessions"]} sessions (waits {held["waits_ms"]![0]}–{held["waits_ms"]!.AsArray()[^1]} ms): {held["outstanding_when_first_result_landed"]} outstanding when the first result landed, " +
            $"result → last answer p50/max {held["last_answer_lag_ms"]?["p50"]}/{held["max_lag_ms"]} ms, {held["timeouts"]} timed out, {held["errors"]} failed; " +
            $"another session meanwhile p50/p95 {held["side_session_ms"]?["p50"]}/{held["side_session_ms"]?["p95"]} ms ({held["side_session_ms"]?["n"]} commands)");
    }

    private static string Stages(JsonNode stages) =>
        string.Join("/", new[] { "open", "connect", "goto", "close", "total" }.Select(s => stages[s]!["p50"]!.ToString()));

    private static string Triple(JsonNode stats) => $"{stats["p50"]}/{stats["p95"]}/{stats["p99"]}";

    /// <summary>The machine's 1-minute load average as the run starts: work other than the benchmark's shows here.</summary>
    internal static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static double MemoryGb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0, 1);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    public static bool IsRoot() => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;
}
