using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace SessionGrid.Bench;

/// <summary>
/// g. A command's round trip as an SDK sees it (<see cref="SdkStyleClient"/>: send the event, then read until its
/// result): <c>evaluate_js</c> on one open session beside the same evaluation through raw Playwright; the same on a host
/// with the long-poll off (<c>SessionGrid:Api:LongPollSeconds=0</c>: what the SDKs saw before it, their 1 s poll interval
/// per command); the same with the poller kept connected between commands (Python's <c>async with client.session()</c>);
/// and many SDK-style polls held at once on sessions whose commands finish at staggered times, while another session's
/// commands run beside them.
/// </summary>
public sealed class SdkCommandLatency(BenchPages pages, IBrowser raw, BenchSizes sizes)
{
    /// <summary>A trivial expression.</summary>
    public const string Trivial = "document.title";

    /// <summary>An expression that takes about 20 ms (a timer's promise).</summary>
    public const string Wait20Ms = "new Promise(r => setTimeout(() => r(20), 20))";

    /// <summary>What an SDK-style command may add to raw Playwright's p50: at its p50, and at its p95 while the polls are held.</summary>
    public const double AllowedOverheadMs = 50;

    /// <summary>
    /// The most a held poll may answer after its session's result landed: under the gap between two sessions' results
    /// in the full run (2 s over 19 gaps, 105 ms), so answers keep the results' order.
    /// </summary>
    public const double AllowedLagMs = 100;

    /// <summary>The SDKs' request timeout: a poll not answered by then has timed out.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The whole of g: on a host with the default long-poll, the round trips (the poller kept connected too) and the
    /// held polls; then on one with the long-poll off, the trivial round trip.
    /// </summary>
    public async Task<JsonObject> MeasureAsync()
    {
        JsonObject results;
        await using (var host = await BenchHost.StartAsync(warmContexts: sizes.HeldSessions + 4, warmDedicated: 0))
        {
            await host.WarmAsync();
            var trivial = await RoundTripsAsync(host, Trivial, sizes.SdkCommands, withRaw: true);
            var wait20 = await RoundTripsAsync(host, Wait20Ms, sizes.SdkCommands, withRaw: true);
            var connected = await ConnectedRoundTripsAsync(host, sizes.SdkCommandsAtPollInterval);
            await host.WarmAsync();
            var held = await HeldPollsAsync(host);
            results = new JsonObject
            {
                ["long_poll_seconds"] = host.LongPollSeconds,
                ["trivial"] = trivial,
                ["wait_20ms"] = wait20,
                ["connected_trivial"] = connected,
                ["held_polls"] = held,
            };
        }

        // Without the long-poll a command waits out the SDK's poll interval: no need to wait for a warm pool first.
        await using (var off = await BenchHost.StartAsync(warmContexts: 2, warmDedicated: 0, "SessionGrid:Api:LongPollSeconds=0"))
        {
            var before = await RoundTripsAsync(off, Trivial, sizes.SdkCommandsAtPollInterval, withRaw: false);
            before["long_poll_seconds"] = off.LongPollSeconds;
            results["long_poll_off_trivial"] = before;
        }

        return results;
    }

    /// <summary>
    /// <paramref name="times"/> SDK-style <c>evaluate_js</c> of <paramref name="js"/> on one open session, and as many
    /// evaluations on a raw Playwright page of the same page; each after one not counted.
    /// </summary>
    private async Task<JsonObject> RoundTripsAsync(BenchHost host, string js, int times, bool withRaw)
    {
        var result = new JsonObject { ["js"] = js };
        if (withRaw)
        {
            await using var context = await raw.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(pages.Page);
            result["raw_playwright"] = Measurements.Json(Stats.Of(await Measurements.RepeatAsync(times, () => page.EvaluateAsync(js))));
        }

        var client = new SdkStyleClient(host.Http, await host.OpenTaskSessionAsync(pages.Page));
        var sdk = Stats.Of(await Measurements.RepeatAsync(times, () => client.EvaluateAsync(js)));
        await host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{client.TaskId}");
        result["sdk_style"] = Measurements.Json(sdk);
        result["reads_per_command"] = Math.Round(client.Reads / (times + 1.0), 2);
        result["poll_sleeps_per_command"] = Math.Round(client.Sleeps / (times + 1.0), 2);
        if (withRaw)
        {
            var rawP50 = result["raw_playwright"]!["p50"]!.GetValue<double>();
            result["ratio_p50"] = Math.Round(sdk.P50 / rawP50, 2);
            result["overhead_p50_ms"] = Math.Round(sdk.P50 - rawP50, 1);
        }

        return result;
    }

    /// <summary>
    /// The trivial command with the poller kept connected between commands, as Python's <c>async with client.session()</c>
    /// keeps it (its <c>__aenter__</c> connects): the poller's read right after a result finds nothing in flight, is
    /// answered at once, and the poller then sleeps its interval whatever the next command does. No target: it shows
    /// what the long-poll does not change.
    /// </summary>
    private async Task<JsonObject> ConnectedRoundTripsAsync(BenchHost host, int times)
    {
        var client = new SdkStyleClient(host.Http, await host.OpenTaskSessionAsync(pages.Page));
        List<double> samples;
        await using (await client.ConnectAsync())
        {
            samples = await Measurements.RepeatAsync(times, () => client.EvaluateAsync(Trivial));
        }

        await host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{client.TaskId}");
        return new JsonObject
        {
            ["js"] = Trivial,
            ["sdk_style"] = Measurements.Json(Stats.Of(samples)),
            ["poll_sleeps_per_command"] = Math.Round(client.Sleeps / (times + 1.0), 2),
        };
    }

    /// <summary>
    /// <see cref="BenchSizes.HeldSessions"/> sessions each take a command that waits a known time (evenly spread from the
    /// shortest to the longest wait; sent in a shuffled order; each timer ends at its wait after the commands were sent,
    /// by the page's clock, so a command that starts late still ends in its place), and <see cref="BenchSizes.HeldPollsPerSession"/> SDK-style
    /// polls per session (<c>GET /task/{id}?event_t=</c> the last event before the command) are sent at once over one
    /// client with a connection each; meanwhile one more session runs trivial commands back to back.
    /// </summary>
    private async Task<JsonObject> HeldPollsAsync(BenchHost host)
    {
        var count = sizes.HeldSessions;
        var total = count * sizes.HeldPollsPerSession;
        var sessions = await Task.WhenAll(Enumerable.Range(0, count + 1).Select(async _ =>
        {
            var client = new SdkStyleClient(host.Http, await host.OpenTaskSessionAsync(pages.Page));
            await client.EvaluateAsync(Trivial); // its result is the last event before the measured command
            return client;
        }));
        var side = sessions[^1];
        var waits = Enumerable.Range(0, count)
            .Select(i => count == 1 ? sizes.HeldShortestWaitMs : sizes.HeldShortestWaitMs + (sizes.HeldLongestWaitMs - sizes.HeldShortestWaitMs) * i / (count - 1))
            .ToArray();
        var cursors = sessions[..count].Select(s => s.LastEventT).ToArray();

        using var polls = host.CreateClient(maxConnections: total + 100, RequestTimeout);
        // The connections the polls will hold, opened first: as many reads at once, answered at once (nothing in flight).
        await Task.WhenAll(Enumerable.Range(0, total).Select(async _ => (await polls.GetAsync($"/api/v1/task/{side.TaskId}")).Dispose()));

        var clock = Clock.Start();
        var ends = waits.Select(wait => (long)clock.NowMs() + wait).ToArray();
        var ids = new string[count];
        await Task.WhenAll(Enumerable.Range(0, count).OrderBy(_ => Random.Shared.Next()).Select(async i =>
            ids[i] = await sessions[i].SendAsync("browser_action", "evaluate_js",
                SdkStyleClient.EvaluateInput($"new Promise(r => setTimeout(() => r({waits[i]}), Math.max(0, {ends[i]} - Date.now())))"))));

        var answers = Enumerable.Range(0, total).Select(n => PollAsync(polls, clock, n % count, sessions[n % count].TaskId, cursors[n % count], ids[n % count])).ToArray();
        var sideLatencies = new List<double>();
        var sideRuns = Task.Run(async () =>
        {
            while (!answers.All(a => a.IsCompleted))
            {
                var started = Stopwatch.GetTimestamp();
                await side.EvaluateAsync(Trivial);
                sideLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        var all = await Task.WhenAll(answers);
        await sideRuns;
        await Task.WhenAll(sessions.Select(s => host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{s.TaskId}")));
        return Judge(all, waits, ends, sizes.HeldPollsPerSession, Stats.Of(sideLatencies));
    }

    /// <summary>One held poll: when it was sent and answered (Unix ms), the timestamp of its session's result in the answer (if it was there), or what went wrong.</summary>
    private sealed record Poll(int Session, double Sent, double Answered, long? Result, string? Error);

    private static async Task<Poll> PollAsync(HttpClient http, Clock clock, int session, string taskId, long cursor, string commandId)
    {
        var sent = clock.NowMs();
        try
        {
            using var response = await http.GetAsync($"/api/v1/task/{taskId}?event_t={cursor}");
            var answered = clock.NowMs();
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
            {
                return new Poll(session, sent, answered, null, $"status {(int)response.StatusCode}");
            }

            var events = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["r"]!["events"]?.AsArray() ?? [];
            var result = events.FirstOrDefault(e => e!["id"]?.GetValue<string>() == commandId);
            return result is null ? new Poll(session, sent, answered, null, null)
                : result["payload"]!["code"]!.GetValue<int>() != 200 ? new Poll(session, sent, answered, null, $"code {result["payload"]!["code"]}")
                : new Poll(session, sent, answered, result["timestamp"]!.GetValue<long>(), null);
        }
        catch (TaskCanceledException)
        {
            return new Poll(session, sent, clock.NowMs(), null, null); // the client's request timeout
        }
        catch (HttpRequestException ex)
        {
            return new Poll(session, sent, clock.NowMs(), null, ex.Message);
        }
    }

    /// <summary>
    /// The held polls against g's checks: none timed out or failed, each answered with its session's result after it
    /// landed, in the order the results landed (every answer for one result before any for a later one). Whether the
    /// results landed in the order of their waits, and how long after their timers' ends, is reported beside: that is
    /// the commands' way back, not the polls'.
    /// </summary>
    private static JsonObject Judge(Poll[] polls, int[] waits, long[] ends, int perSession, Stats side)
    {
        var errors = polls.Count(p => p.Error is not null);
        var timeouts = polls.Count(p => p.Error is null && p.Result is null);
        var early = polls.Count(p => p.Result is { } landed && p.Answered < landed);
        var sessions = polls.Where(p => p.Result is not null).GroupBy(p => p.Session)
            .Select(g => (Session: g.Key, Landed: (double)g.Max(p => p.Result!.Value), First: g.Min(p => p.Answered), Last: g.Max(p => p.Answered)))
            .OrderBy(s => s.Landed).ThenBy(s => s.Session)
            .ToArray();
        var firstLanded = sessions.Length > 0 ? sessions[0].Landed : double.NaN;
        var overlaps = sessions.Zip(sessions.Skip(1)).Count(pair => pair.First.Last > pair.Second.First);
        var landedInWaitOrder = sessions.Select(s => waits[s.Session]).SequenceEqual(sessions.Select(s => waits[s.Session]).Order());
        var afterTimer = sessions.Select(s => s.Landed - ends[s.Session]).ToArray();
        var gaps = sessions.Zip(sessions.Skip(1)).Select(pair => pair.Second.Landed - pair.First.Landed).ToArray();
        var lags = sessions.Select(s => s.Last - s.Landed).ToArray();
        var firstLags = sessions.Select(s => s.First - s.Landed).ToArray();
        return new JsonObject
        {
            ["sessions"] = waits.Length,
            ["polls_per_session"] = perSession,
            ["polls"] = polls.Length,
            ["waits_ms"] = new JsonArray([.. waits.Select(w => (JsonNode)w)]),
            ["outstanding_when_first_result_landed"] = polls.Count(p => p.Sent < firstLanded && p.Answered >= firstLanded),
            ["sessions_with_result"] = sessions.Length,
            ["timeouts"] = timeouts,
            ["errors"] = errors,
            ["answered_before_result"] = early,
            ["results_landed_in_wait_order"] = landedInWaitOrder,
            ["waits_in_result_order_ms"] = new JsonArray([.. sessions.Select(s => (JsonNode)waits[s.Session])]),
            ["result_after_timer_ms"] = afterTimer.Length > 0 ? Measurements.Json(Stats.Of(afterTimer)) : null,
            ["min_gap_between_results_ms"] = gaps.Length > 0 ? gaps.Min() : null,
            ["answer_overlaps_between_sessions"] = overlaps,
            ["answers_in_result_order"] = sessions.Length == waits.Length && overlaps == 0,
            ["first_answer_lag_ms"] = firstLags.Length > 0 ? Measurements.Json(Stats.Of(firstLags)) : null,
            ["last_answer_lag_ms"] = lags.Length > 0 ? Measurements.Json(Stats.Of(lags)) : null,
            ["last_answer_lags_in_result_order_ms"] = new JsonArray([.. lags.Select(l => (JsonNode)Math.Round(l, 1))]),
            ["max_lag_ms"] = lags.Length > 0 ? Math.Round(lags.Max(), 1) : null,
            ["side_session_ms"] = side.Count > 0 ? Measurements.Json(side) : null,
        };
    }

    /// <summary>Unix milliseconds, read from one wall-clock reading and the stopwatch since (the server stamps events with the same clock).</summary>
    private sealed class Clock
    {
        private readonly double _startMs = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        private readonly long _started = Stopwatch.GetTimestamp();

        public static Clock Start() => new();

        public double NowMs() => _startMs + Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
    }
}
