using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace SessionGrid.Bench;

/// <summary>How big a run is: the full run's sizes, or a few iterations (<c>--quick</c>, the test suite's smoke run).</summary>
public sealed record BenchSizes(
    int Workflows, int Opens, TimeSpan LoadDuration, int LoadSessions, int IdleSessions, TimeSpan ApiDuration, int ApiClients, int Connects,
    int SdkCommands, int SdkCommandsAtPollInterval, int HeldSessions, int HeldPollsPerSession, int HeldShortestWaitMs, int HeldLongestWaitMs)
{
    public static readonly BenchSizes Full = new(30, 30, TimeSpan.FromSeconds(60), 20, 50, TimeSpan.FromSeconds(15), 32, 30, 50, 10, 20, 50, 1000, 3000);
    public static readonly BenchSizes Quick = new(3, 10, TimeSpan.FromSeconds(2), 4, 4, TimeSpan.FromSeconds(2), 8, 10, 3, 1, 2, 10, 300, 600);
}

/// <summary>The measurements of one run, each against pages served on 127.0.0.1, SessionGrid beside raw Playwright.</summary>
public sealed partial class Measurements(BenchHost host, BenchPages pages, IBrowser raw, BenchSizes sizes)
{
    private const int Actions = 10;

    /// <summary>The Task API sessions' <c>enable_recording</c>; null: the default (on).</summary>
    public bool? EnableRecording { get; init; }

    /// <summary>a. One workflow (open, goto, 10 actions, close): raw Playwright, Task API events, one Browser Session API task.</summary>
    public async Task<JsonObject> WorkflowAsync()
    {
        var rawTimes = await RepeatAsync(sizes.Workflows, async () =>
        {
            await using var context = await raw.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(pages.Page);
            for (var i = 0; i < Actions; i++)
            {
                await page.EvaluateAsync("n => n + 1", i);
            }
        });
        await host.WarmAsync();
        var taskApi = await RepeatAsync(sizes.Workflows, async () =>
        {
            var id = await host.OpenTaskSessionAsync(null, EnableRecording);
            var cursor = await RunEventAsync(id, "goto", new JsonObject { ["url"] = pages.Page }, 0);
            for (var i = 0; i < Actions; i++)
            {
                cursor = await RunEventAsync(id, "evaluate_js", new JsonObject { ["js"] = $"{i} + 1" }, cursor);
            }

            await host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}");
        });
        await host.WarmAsync();
        var browserSession = await RepeatAsync(sizes.Workflows, async () =>
        {
            var id = await OpenBrowserSessionAsync();
            var actions = new JsonArray([.. Enumerable.Range(0, Actions).Select(i => (JsonNode)new JsonObject { ["type"] = "evaluate", ["script"] = $"{i} + 1" })]);
            var (status, _) = await host.SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{id}/tasks", new JsonObject { ["url"] = pages.Page, ["actions"] = actions });
            Check(status == HttpStatusCode.Created, $"browser session task answered {status}");
            await host.SendAsync(HttpMethod.Delete, $"/api/v1/browser/sessions/{id}");
        });
        var rawStats = Stats.Of(rawTimes);
        return new JsonObject
        {
            ["raw_playwright"] = Json(rawStats),
            ["task_api_events"] = Json(Stats.Of(taskApi)),
            ["browser_session_task"] = Json(Stats.Of(browserSession)),
            ["ratio_task_api_p50"] = Math.Round(Stats.Of(taskApi).P50 / rawStats.P50, 2),
            ["ratio_browser_session_p50"] = Math.Round(Stats.Of(browserSession).P50 / rawStats.P50, 2),
        };
    }

    /// <summary>b. Opening a session until it accepts its first event, at concurrency 1 and 10; raw context + page beside it.</summary>
    public async Task<JsonObject> OpenLatencyAsync()
    {
        var opened = new List<string>();
        async Task<double> OpenOnceAsync()
        {
            var clock = Stopwatch.StartNew();
            var id = await host.OpenTaskSessionAsync(null, EnableRecording);
            var (status, _) = await host.SendAsync(HttpMethod.Post, $"/api/v1/task/{id}/event", Event("first", "evaluate_js", new JsonObject { ["js"] = "1" }));
            Check(status == HttpStatusCode.OK, $"first event answered {status}");
            var elapsed = clock.Elapsed.TotalMilliseconds;
            lock (opened)
            {
                opened.Add(id);
            }

            return elapsed;
        }

        var sequential = new List<double>();
        for (var i = 0; i < sizes.Opens; i++)
        {
            sequential.Add(await OpenOnceAsync());
            await Task.Delay(50); // lets the warm pool refill, as between a user's requests
        }

        // Each batch of ten starts from a full warm pool (the target is the warm pool's).
        var parallel = new List<double>();
        for (var batch = 0; batch < Math.Max(1, sizes.Opens / 10); batch++)
        {
            await host.WarmAsync();
            parallel.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => OpenOnceAsync())));
        }

        await Task.WhenAll(opened.Select(id => host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}")));
        var rawSequential = await RepeatAsync(sizes.Opens, async () =>
        {
            var context = await raw.NewContextAsync();
            await context.NewPageAsync();
            _ = context.CloseAsync();
        });
        return new JsonObject
        {
            ["sessiongrid_concurrency_1"] = Json(Stats.Of(sequential)),
            ["sessiongrid_concurrency_10"] = Json(Stats.Of(parallel)),
            ["raw_context_and_page"] = Json(Stats.Of(rawSequential)),
        };
    }

    /// <summary>
    /// c. Sessions running actions at once for a while: actions per second and latency, beside one session alone; back to
    /// back (every session sends its next action as soon as the last one answers, which saturates the machine), and
    /// paced (each session one action per <see cref="Pace"/>); raw Playwright pages driven back to back beside them.
    /// </summary>
    public async Task<JsonObject> LoadAsync()
    {
        var single = await DriveAsync(1, sizes.LoadDuration / 3, pace: null);
        await host.WarmAsync();
        var loaded = await DriveAsync(sizes.LoadSessions, sizes.LoadDuration, pace: null);
        await host.WarmAsync();
        var paced = await DriveAsync(sizes.LoadSessions, sizes.LoadDuration / 2, Pace);
        var rawSingle = await DriveRawAsync(1, sizes.LoadDuration / 3);
        var rawLoaded = await DriveRawAsync(sizes.LoadSessions, sizes.LoadDuration / 3);
        return new JsonObject
        {
            ["single_session"] = single,
            ["concurrent_sessions"] = sizes.LoadSessions,
            ["loaded"] = loaded,
            ["p99_ratio"] = Math.Round(P99(loaded) / P99(single), 2),
            ["pace_ms"] = Pace.TotalMilliseconds,
            ["paced"] = paced,
            ["paced_p99_ratio"] = Math.Round(P99(paced) / P99(single), 2),
            ["raw_single_page"] = rawSingle,
            ["raw_loaded"] = rawLoaded,
            ["raw_p99_ratio"] = Math.Round(P99(rawLoaded) / P99(rawSingle), 2),
        };
    }

    /// <summary>How often each session of the paced load sends an action.</summary>
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    private static double P99(JsonObject drive) => drive["latency_ms"]!["p99"]!.GetValue<double>();

    /// <summary>d. Memory (this process and every process under it, Chromium included) per idle session.</summary>
    public async Task<JsonObject> DensityAsync()
    {
        var before = ProcessMemory.TreeRssBytes(Environment.ProcessId);
        var beforePss = ProcessMemory.TreePssBytes(Environment.ProcessId);
        var ids = new List<string>();
        for (var i = 0; i < sizes.IdleSessions; i++)
        {
            var id = await host.OpenTaskSessionAsync(pages.Page, EnableRecording);
            await RunEventAsync(id, "evaluate_js", new JsonObject { ["js"] = "document.title" }, 0);
            ids.Add(id);
        }

        // The warm pool as full as before: the difference is the idle sessions'.
        await host.WarmAsync();
        await Task.Delay(1500);
        var after = ProcessMemory.TreeRssBytes(Environment.ProcessId);
        var afterPss = ProcessMemory.TreePssBytes(Environment.ProcessId);
        await Task.WhenAll(ids.Select(id => host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}")));
        return new JsonObject
        {
            ["idle_sessions"] = ids.Count,
            ["rss_before_mb"] = Math.Round(before / 1048576.0, 1),
            ["rss_after_mb"] = Math.Round(after / 1048576.0, 1),
            ["mb_per_idle_session"] = Math.Round((after - before) / 1048576.0 / ids.Count, 1),
            ["pss_mb_per_idle_session"] = Math.Round((afterPss - beforePss) / 1048576.0 / ids.Count, 1),
        };
    }

    /// <summary>e. <c>GET /api/v1/task/{id}</c> from concurrent clients: requests per second and latency.</summary>
    public async Task<JsonObject> ApiAsync()
    {
        var id = await host.OpenTaskSessionAsync(null, EnableRecording);
        var latencies = new List<double>();
        var stop = DateTime.UtcNow + sizes.ApiDuration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, sizes.ApiClients).Select(async _ =>
        {
            var mine = new List<double>();
            while (DateTime.UtcNow < stop)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await host.Http.GetAsync($"/api/v1/task/{id}");
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        await host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}");
        return new JsonObject
        {
            ["clients"] = sizes.ApiClients,
            ["requests_per_second"] = Math.Round(latencies.Count / seconds),
            ["latency_ms"] = Json(Stats.Of(latencies)),
        };
    }

    private async Task<JsonObject> DriveAsync(int sessions, TimeSpan duration, TimeSpan? pace)
    {
        var ids = new List<string>();
        for (var i = 0; i < sessions; i++)
        {
            ids.Add(await OpenBrowserSessionAsync());
        }

        var body = new JsonObject { ["actions"] = new JsonArray(new JsonObject { ["type"] = "evaluate", ["script"] = "1 + 1" }) };
        var result = await LoopAsync(ids, duration, pace, async id =>
        {
            var (status, _) = await host.SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{id}/tasks", body);
            Check(status == HttpStatusCode.Created, $"action answered {status}");
        });
        await Task.WhenAll(ids.Select(id => host.SendAsync(HttpMethod.Delete, $"/api/v1/browser/sessions/{id}")));
        return result;
    }

    /// <summary>Raw Playwright pages (a context each) evaluating back to back: the same load without SessionGrid.</summary>
    private async Task<JsonObject> DriveRawAsync(int pages, TimeSpan duration)
    {
        var contexts = await Task.WhenAll(Enumerable.Range(0, pages).Select(_ => raw.NewContextAsync()));
        var opened = await Task.WhenAll(contexts.Select(c => c.NewPageAsync()));
        var result = await LoopAsync(opened, duration, pace: null, page => page.EvaluateAsync<int>("1 + 1"));
        await Task.WhenAll(contexts.Select(c => c.CloseAsync()));
        return result;
    }

    /// <summary>
    /// Each of <paramref name="drivers"/> runs <paramref name="action"/> in a loop until the time is up; paced drivers
    /// start spread over one pace, as independent clients would, not all in the same instant.
    /// </summary>
    private static async Task<JsonObject> LoopAsync<T>(IReadOnlyList<T> drivers, TimeSpan duration, TimeSpan? pace, Func<T, Task> action)
    {
        var latencies = new List<double>();
        var stop = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(drivers.Select(async (driver, index) =>
        {
            if (pace is { } offset)
            {
                await Task.Delay(offset * index / drivers.Count);
            }

            var mine = new List<double>();
            while (DateTime.UtcNow < stop)
            {
                var started = Stopwatch.GetTimestamp();
                await action(driver);
                var elapsed = Stopwatch.GetElapsedTime(started);
                mine.Add(elapsed.TotalMilliseconds);
                if (pace is { } every && every > elapsed)
                {
                    await Task.Delay(every - elapsed);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        return new JsonObject { ["actions_per_second"] = Math.Round(latencies.Count / seconds, 1), ["latency_ms"] = Json(Stats.Of(latencies)) };
    }

    private async Task<string> OpenBrowserSessionAsync()
    {
        var (status, created) = await host.SendAsync(HttpMethod.Post, "/api/v1/browser/sessions", new JsonObject());
        Check(status == HttpStatusCode.Created, $"POST /browser/sessions answered {status}");
        return created!["id"]!.GetValue<string>();
    }

    /// <summary>Sends one event and polls (as a fast SDK would) until its result arrives; answers the result's timestamp.</summary>
    internal async Task<long> RunEventAsync(string id, string action, JsonObject input, long cursor)
    {
        var eventId = "e" + Guid.NewGuid().ToString("N")[..10];
        var (status, _) = await host.SendAsync(HttpMethod.Post, $"/api/v1/task/{id}/event", Event(eventId, action, input));
        Check(status == HttpStatusCode.OK, $"{action} event answered {status}");
        while (true)
        {
            var (_, task) = await host.SendAsync(HttpMethod.Get, $"/api/v1/task/{id}?event_t={cursor}");
            var result = task!["r"]!["events"]?.AsArray().FirstOrDefault(e => e!["id"]?.GetValue<string>() == eventId);
            if (result is not null)
            {
                Check(result["payload"]!["code"]!.GetValue<int>() == 200, $"{action} failed: {result.ToJsonString()}");
                return result["timestamp"]!.GetValue<long>();
            }

            await Task.Delay(1);
        }
    }

    private static JsonObject Event(string id, string action, JsonObject input) =>
        new() { ["name"] = "browser_action", ["id"] = id, ["payload"] = new JsonObject { ["name"] = action, ["input"] = input } };

    /// <summary>Runs <paramref name="work"/> once to warm up, then <paramref name="times"/> times: each time's milliseconds.</summary>
    public static async Task<List<double>> RepeatAsync(int times, Func<Task> work)
    {
        await work(); // warm-up, not counted
        var samples = new List<double>(times);
        for (var i = 0; i < times; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await work();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return samples;
    }

    public static JsonObject Json(Stats stats) =>
        new() { ["n"] = stats.Count, ["p50"] = stats.P50, ["p95"] = stats.P95, ["p99"] = stats.P99, ["mean"] = stats.Mean };

    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
