using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Bench;

/// <summary>
/// r. What recording costs (<c>./bench.sh --only r</c>): the workflow of point a with recording on and off (issue 19:
/// encoding never slows a session's actions by more than 10 %), and the CPU (this process and every process under it:
/// the host, Chromium, ffmpeg) and the bytes of a recorded minute of idle and of busy pages, beside the same sessions
/// without recording. Appends its own dated section to RESULTS.md.
/// </summary>
public static class RecordingBench
{
    /// <summary>A page that changes every animation frame: the recorder keeps as many frames as it may.</summary>
    private const string Busy = """
        (() => { const box = document.createElement('div'); box.style = 'position:fixed;inset:0;font:bold 160px sans-serif';
          document.body.append(box); let n = 0;
          (function step() { box.textContent = ++n; box.style.background = `hsl(${n % 360} 70% 60%)`; requestAnimationFrame(step); })(); return true; })()
        """;

    public static async Task<JsonObject> MeasureAsync(BenchHost host, BenchPages pages, IBrowser raw, BenchSizes sizes, string outputFolder)
    {
        var quick = sizes == BenchSizes.Quick;
        var (sessions, window) = quick ? (2, TimeSpan.FromSeconds(4)) : (5, TimeSpan.FromSeconds(60));
        var loadBefore = BenchRunner.LoadAverage();
        await host.WarmAsync();
        var on = await new Measurements(host, pages, raw, sizes) { EnableRecording = true }.WorkflowAsync();
        await host.WarmAsync();
        var off = await new Measurements(host, pages, raw, sizes) { EnableRecording = false }.WorkflowAsync();
        await host.WarmAsync();
        var interleaved = await InterleavedAsync(host, pages, raw, sizes);
        var results = new JsonObject
        {
            ["workflow_recording_on"] = on,
            ["workflow_recording_off"] = off,
            ["workflow_on_over_off_p50"] = Math.Round(P50(on) / P50(off), 2),
            ["interleaved"] = interleaved,
            ["sessions"] = sessions,
            ["window_seconds"] = window.TotalSeconds,
        };
        foreach (var (name, busy, record) in new[] { ("idle_on", false, true), ("idle_off", false, false), ("busy_on", true, true), ("busy_off", true, false) })
        {
            await host.WarmAsync();
            results[name] = await RecordedMinutesAsync(host, pages.Page, busy, record, sessions, window);
        }

        // What else ran on the machine (other processes share its cores): the 1-minute load average before and after.
        results["load_average"] = string.Create(CultureInfo.InvariantCulture, $"{loadBefore} → {BenchRunner.LoadAverage()}");
        Append(results, quick, outputFolder);
        return results;
    }

    private static double P50(JsonObject workflow) => workflow["task_api_events"]!["p50"]!.GetValue<double>();

    /// <summary>
    /// Point a's Task API workflow with recording on and off in turn (so both meet the same load from elsewhere), each
    /// phase timed: the open, the goto, the 10 actions, the close; the ratio of on to off per phase (p50).
    /// </summary>
    private static async Task<JsonObject> InterleavedAsync(BenchHost host, BenchPages pages, IBrowser raw, BenchSizes sizes)
    {
        string[] phases = ["open", "goto", "actions", "close", "total"];
        var samples = new Dictionary<bool, Dictionary<string, List<double>>>
        {
            [true] = phases.ToDictionary(p => p, _ => new List<double>()),
            [false] = phases.ToDictionary(p => p, _ => new List<double>()),
        };
        var runs = new Dictionary<bool, Measurements>
        {
            [true] = new(host, pages, raw, sizes) { EnableRecording = true },
            [false] = new(host, pages, raw, sizes) { EnableRecording = false },
        };
        for (var i = -2; i < 2 * sizes.Workflows; i++)
        {
            var record = (i & 1) == 0;
            var measure = runs[record];
            var marks = new List<long> { Stopwatch.GetTimestamp() };
            var id = await host.OpenTaskSessionAsync(null, record);
            marks.Add(Stopwatch.GetTimestamp());
            var cursor = await measure.RunEventAsync(id, "goto", new JsonObject { ["url"] = pages.Page }, 0);
            marks.Add(Stopwatch.GetTimestamp());
            for (var n = 0; n < 10; n++)
            {
                cursor = await measure.RunEventAsync(id, "evaluate_js", new JsonObject { ["js"] = $"{n} + 1" }, cursor);
            }

            marks.Add(Stopwatch.GetTimestamp());
            await host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}");
            marks.Add(Stopwatch.GetTimestamp());
            if (i < 0)
            {
                continue; // one warm-up of each, not counted
            }

            for (var p = 0; p < 4; p++)
            {
                samples[record][phases[p]].Add(Stopwatch.GetElapsedTime(marks[p], marks[p + 1]).TotalMilliseconds);
            }

            samples[record]["total"].Add(Stopwatch.GetElapsedTime(marks[0], marks[4]).TotalMilliseconds);
        }

        var result = new JsonObject();
        foreach (var phase in phases)
        {
            var (on, off) = (Stats.Of(samples[true][phase]), Stats.Of(samples[false][phase]));
            result[phase] = new JsonObject { ["on"] = Measurements.Json(on), ["off"] = Measurements.Json(off), ["ratio_p50"] = Math.Round(on.P50 / off.P50, 2) };
        }

        return result;
    }

    /// <summary>
    /// <paramref name="sessions"/> Task API sessions on the page (busy or idle) for <paramref name="window"/>, recorded or
    /// not: the CPU seconds the process tree spent from their opening until their videos were stored, per session-minute,
    /// and the videos' bytes per recorded minute.
    /// </summary>
    private static async Task<JsonObject> RecordedMinutesAsync(BenchHost host, string page, bool busy, bool record, int sessions, TimeSpan window)
    {
        var cpuBefore = TreeCpuSeconds(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        for (var i = 0; i < sessions; i++)
        {
            var (status, body) = await host.SendAsync(HttpMethod.Post, "/api/v1/task", new JsonObject { ["task"] = null, ["url"] = page, ["enable_recording"] = record });
            Check(status == HttpStatusCode.OK, $"POST /task answered {status}");
            var id = body!["r"]!["id"]!.GetValue<string>();
            ids.Add(id);
            if (busy)
            {
                await host.SendAsync(HttpMethod.Post, $"/api/v1/task/{id}/event", new JsonObject
                {
                    ["name"] = "browser_action", ["id"] = "busy", ["payload"] = new JsonObject { ["name"] = "evaluate_js", ["input"] = new JsonObject { ["js"] = Busy } },
                });
            }
        }

        await Task.Delay(window);
        await Task.WhenAll(ids.Select(id => host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}")));
        long bytes = 0;
        foreach (var id in ids)
        {
            bytes += record ? await VideoBytesAsync(host, id) : 0;
        }

        var cpu = TreeCpuSeconds(Environment.ProcessId) - cpuBefore;
        var sessionMinutes = sessions * window.TotalMinutes;
        return new JsonObject
        {
            ["cpu_seconds"] = Math.Round(cpu, 2),
            ["elapsed_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["cpu_seconds_per_session_minute"] = Math.Round(cpu / sessionMinutes, 2),
            ["video_bytes"] = bytes,
            ["bytes_per_recorded_minute"] = Math.Round(bytes / sessionMinutes),
        };
    }

    /// <summary>Waits for a task's recording_url and answers the video's size.</summary>
    private static async Task<long> VideoBytesAsync(BenchHost host, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var (_, task) = await host.SendAsync(HttpMethod.Get, $"/api/v1/task/{id}");
            if (task!["r"]!["recording_url"] is JsonValue url)
            {
                var link = url.GetValue<string>();
                Check(link.Length > 0, $"task {id} recorded nothing: {task["r"]!["events"]?.ToJsonString()}");
                using var video = await host.Http.GetAsync(link);
                return (await video.Content.ReadAsByteArrayAsync()).LongLength;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"task {id}'s recording was not there within 5 minutes");
    }

    /// <summary>
    /// CPU seconds spent by a process and every process under it (user and system), with the children they waited for
    /// (ffmpeg's encodes, counted in the host's own process when they end).
    /// </summary>
    private static double TreeCpuSeconds(int root) =>
        (double)ProcessTable.Tree(root).Sum(pid => ProcessTable.CpuTicks(pid, waitedChildren: true)) / ProcessTable.TicksPerSecond;

    private static void Append(JsonObject r, bool quick, string folder)
    {
        double At(string path) => double.Parse(path.Split('.').Aggregate((JsonNode)r, (node, key) => node[key]!).ToJsonString(), CultureInfo.InvariantCulture);
        var cost = (string kind) => At($"{kind}_on.cpu_seconds_per_session_minute") - At($"{kind}_off.cpu_seconds_per_session_minute");
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC (recording, {(quick ? "quick" : "full")} run)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, 1-minute load average {r["load_average"]} (other processes on the machine). {r["sessions"]} sessions for {r["window_seconds"]} s per row; CPU of the whole process tree (host, Chromium, ffmpeg) from their opening until their videos were stored.");
        md.AppendLine();
        md.AppendLine("| Figure | Recording on | Recording off |");
        md.AppendLine("|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| a. Task API workflow p50 (ms) | {At("workflow_recording_on.task_api_events.p50")} | {At("workflow_recording_off.task_api_events.p50")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| a. ratio to raw Playwright (p50) | {At("workflow_recording_on.ratio_task_api_p50")}× | {At("workflow_recording_off.ratio_task_api_p50")}× |");
        foreach (var phase in new[] { "open", "goto", "actions", "close", "total" })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| a, on and off in turn: {phase} p50 (ms) | {At($"interleaved.{phase}.on.p50")} | {At($"interleaved.{phase}.off.p50")} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| idle page: CPU s per session-minute | {At("idle_on.cpu_seconds_per_session_minute")} | {At("idle_off.cpu_seconds_per_session_minute")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| busy page: CPU s per session-minute | {At("busy_on.cpu_seconds_per_session_minute")} | {At("busy_off.cpu_seconds_per_session_minute")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| idle page: bytes per recorded minute | {At("idle_on.bytes_per_recorded_minute")} | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| busy page: bytes per recorded minute | {At("busy_on.bytes_per_recorded_minute")} | |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Encoding beside the session (target: a session's actions ≤ 1.10 × without): on and off in turn, the 10 actions {At("interleaved.actions.ratio_p50")}×, the whole workflow {At("interleaved.total.ratio_p50")}× ({(At("interleaved.actions.ratio_p50") <= 1.10 ? "met" : "missed")} for the actions); the two blocks of point a one after the other: {At("workflow_on_over_off_p50")}×.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- What recording costs: {cost("idle"):0.00} CPU s per minute of an idle page ({cost("idle") / 60 * 100:0.0} % of a core), {cost("busy"):0.00} per minute of a busy one ({cost("busy") / 60 * 100:0.0} %).");
        md.AppendLine();
        File.AppendAllText(Path.Combine(folder, "RESULTS.md"), md.ToString());
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
