using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace SessionGrid.Bench;

/// <summary>
/// i. The dedicated-session lifecycle as a user measures it: from a client in another process
/// (<see cref="LifecycleClient"/>), against a host with every setting at its default, with nothing filling a pool
/// between points; beside a raw Chromium over CDP and a raw Playwright context, in the same run.
/// </summary>
public static class ExternalLifecycle
{
    public static readonly string[] StageNames = ["create", "connect", "goto", "release", "total"];

    /// <summary>How long the host is left idle after its start before the client runs (not in the quick run).</summary>
    private static readonly TimeSpan SettleAfterStart = TimeSpan.FromSeconds(20);

    /// <summary>The full run's sequential lifecycles and bursts; the quick run's (the smoke test's) are small.</summary>
    public static (int Sequential, LifecycleClient.Burst[] Bursts, int PauseMs) Sizes(bool quick) => quick
        ? (3, [new(3, 1, 0)], 0)
        : (20, [new(10, 3, 5000), new(25, 2, 10000)], 10_000);

    public static async Task<JsonObject> MeasureAsync(BenchPages pages, IPlaywright playwright, bool quick, TextWriter log)
    {
        await using var rawCdp = await RawCdpChromium.StartAsync(playwright);
        await using var host = await BenchHost.StartDefaultAsync();

        // The state a user meets: the server up for a while and idle, its pools as its defaults fill them (without the
        // quiet spell, the first point would also measure the host's own start: its runtime compiling, its stores opening).
        await host.WarmAsync();
        await Task.Delay(quick ? TimeSpan.Zero : SettleAfterStart);
        var (sequential, bursts, pauseMs) = Sizes(quick);
        var queueTimeout = host.QueueTimeoutSeconds;
        var plan = new LifecycleClient.Plan(host.BaseUrl, BenchHost.Key, pages.Page, rawCdp.Endpoint, sequential, bursts, queueTimeout * 3, pauseMs);
        var warmAtStart = new JsonObject();
        var inUseAtStart = new JsonObject();
        var (cpuBefore, launchesBefore) = (host.Browsers.WarmRefillCpu, host.Browsers.WarmRefillLaunches);
        var raw = await LifecycleClient.RunProcessAsync(plan, log, point =>
        {
            lock (warmAtStart)
            {
                warmAtStart[point] = host.Browsers.WarmDedicatedCount;
                inUseAtStart[point] = host.Browsers.WarmDedicatedInUse;
                if (point == "sessiongrid/sequential")
                {
                    // The refills counted are those during SessionGrid's own points, beside its sessions.
                    (cpuBefore, launchesBefore) = (host.Browsers.WarmRefillCpu, host.Browsers.WarmRefillLaunches);
                }
            }
        });
        var refillCpu = (host.Browsers.WarmRefillCpu - cpuBefore).TotalSeconds;
        var sessionGridSeconds = raw["sessiongrid"]!["seconds"]!.GetValue<double>();

        var result = new JsonObject
        {
            ["client"] = "a separate .NET process (Microsoft.Playwright ConnectOverCDPAsync; Browser Session API over HTTP)",
            ["warm_dedicated"] = host.WarmDedicated,
            ["pause_after_from_idle_ms"] = pauseMs,
            ["queue_timeout_seconds"] = queueTimeout,
            ["plan"] = new JsonObject
            {
                ["sequential"] = sequential,
                ["bursts"] = new JsonArray([.. bursts.Select(b => (JsonNode)new JsonObject { ["size"] = b.Size, ["count"] = b.Count, ["period_ms"] = b.PeriodMs })]),
            },
        };
        foreach (var target in LifecycleClient.Targets)
        {
            var points = new JsonObject();
            foreach (var (point, runs) in raw[target]!.AsObject().Where(p => p.Value is JsonArray))
            {
                points[point] = Summary(runs!.AsArray());
                if (point.StartsWith("sequential", StringComparison.Ordinal))
                {
                    // Each lifecycle in order: where a run of back-to-back sessions ran out of warm browsers shows here.
                    points[point]!["totals_in_order"] = new JsonArray([.. runs!.AsArray().Select(r => (JsonNode?)(r?["total"] is { } t ? Math.Round(t.GetValue<double>()) : null))]);
                    points[point]!["creates_in_order"] = new JsonArray([.. runs!.AsArray().Select(r => (JsonNode?)(r?["create"] is { } c ? Math.Round(c.GetValue<double>()) : null))]);
                }
            }

            points["seconds"] = raw[target]!["seconds"]!.GetValue<double>();
            result[target] = points;
        }

        var pointNames = raw["raw_cdp"]!.AsObject().Where(p => p.Value is JsonArray).Select(p => p.Key).ToList();
        result["ratio_total_p50_vs_raw_cdp"] = new JsonObject([.. pointNames.Select(point => KeyValuePair.Create(point, (JsonNode?)Ratio(result, point, point))),
            KeyValuePair.Create("sequential_from_idle", (JsonNode?)Ratio(result, "sequential_from_idle", "sequential"))]);
        result["warm_dedicated_at_point_start"] = warmAtStart;
        result["pool_in_use_size_at_point_start"] = inUseAtStart;
        result["warm_refill"] = new JsonObject
        {
            ["launches"] = host.Browsers.WarmRefillLaunches - launchesBefore,
            ["cpu_seconds"] = Math.Round(refillCpu, 2),
            // What the refills took of the machine during SessionGrid's sequential and burst points.
            ["cpu_share_of_sessiongrid_points"] = Math.Round(refillCpu / (sessionGridSeconds * Environment.ProcessorCount), 3),
        };
        return result;
    }

    private static double Ratio(JsonObject result, string point, string rawPoint) =>
        Math.Round(result["sessiongrid"]![point]!["total"]!["p50"]!.GetValue<double>() / result["raw_cdp"]![rawPoint]!["total"]!["p50"]!.GetValue<double>(), 2);

    private static JsonObject Summary(JsonArray runs)
    {
        var ok = runs.OfType<JsonObject>().Where(r => !r.ContainsKey("failed")).ToList();
        var summary = new JsonObject
        {
            ["n"] = ok.Count,
            ["failures"] = runs.Count - ok.Count,
            ["failure_reasons"] = new JsonArray([.. runs.OfType<JsonObject>().Select(r => r["failed"]?.GetValue<string>()).OfType<string>().Distinct().Take(3).Select(m => (JsonNode)m)]),
        };
        foreach (var stage in StageNames.Where(stage => ok.Any(r => r.ContainsKey(stage))))
        {
            var stats = Stats.Of([.. ok.Where(r => r.ContainsKey(stage)).Select(r => r[stage]!.GetValue<double>())]);
            summary[stage] = new JsonObject { ["p50"] = stats.P50, ["p95"] = stats.P95, ["max"] = ok.Max(r => r[stage]?.GetValue<double>() ?? 0) };
        }

        return summary;
    }

    /// <summary>i's lines for RESULTS.md: a table of each target and point, stage p50/p95.</summary>
    public static string Table(JsonNode i, double loadAverage)
    {
        var md = new System.Text.StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"i. external-client lifecycle (load average {loadAverage} at start; p50/p95 ms; {i["client"]}):");
        md.AppendLine();
        md.AppendLine("| Target | Point | n | failed | create | connect | goto | release | total | total vs raw CDP (p50) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var target in LifecycleClient.Targets)
        {
            foreach (var (point, s) in i[target]!.AsObject().Where(p => p.Value is JsonObject))
            {
                string Cell(string stage) => s![stage] is { } st ? $"{st["p50"]}/{st["p95"]}" : "–";
                var ratio = target == "sessiongrid" ? $"{i["ratio_total_p50_vs_raw_cdp"]![point]}×" : "";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {target} | {point} | {s!["n"]} | {s["failures"]} | {Cell("create")} | {Cell("connect")} | {Cell("goto")} | {Cell("release")} | {Cell("total")} | {ratio} |");
            }
        }

        var refill = i["warm_refill"]!;
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Warm dedicated browsers as each point started: {string.Join(", ", i["warm_dedicated_at_point_start"]!.AsObject().Select(p => $"{p.Key} {p.Value}"))}. Pool size in use as each point started: {string.Join(", ", i["pool_in_use_size_at_point_start"]!.AsObject().Select(p => $"{p.Key} {p.Value}"))}. Warm pool refills during SessionGrid's sequential and burst points: {refill["launches"]} launches, {refill["cpu_seconds"]} CPU s ({refill["cpu_share_of_sessiongrid_points"]} of the machine over SessionGrid's points); max create wait {i["sessiongrid"]!.AsObject().Where(p => p.Value is JsonObject).Max(p => p.Value!["create"]!["max"]!.GetValue<double>())} ms (queue timeout {i["queue_timeout_seconds"]} s).");
        return md.ToString();
    }
}
