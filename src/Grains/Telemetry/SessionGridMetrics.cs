using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Telemetry;

/// <summary>
/// The <c>SessionGrid</c> meter: browser actions by duration, type and outcome; tasks by final status; and, observed
/// from this process's browser hosts, the sessions open, browser contexts and Chromium processes on this silo.
/// </summary>
public static class SessionGridMetrics
{
    private static readonly Meter Meter = new(SessionGridTelemetry.Name);
    private static readonly ConcurrentDictionary<BrowserHost, byte> Hosts = new();

    private static readonly Histogram<double> ActionDuration = Meter.CreateHistogram(
        "sessiongrid.action.duration", "s", "How long browser actions took, by action type and outcome", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });

    private static readonly Counter<long> TasksFinished = Meter.CreateCounter<long>(
        "sessiongrid.tasks.finished", "{task}", "Tasks (sessions and agent tasks) that ended, by final status");

    private static readonly Counter<long> AdsBlocked = Meter.CreateCounter<long>(
        "sessiongrid.adblock.blocked", "{request}", "Requests to ad and tracker hosts that sessions with ad blocking did not make, by resource type");

    static SessionGridMetrics()
    {
        Meter.CreateObservableUpDownCounter("sessiongrid.sessions.open", () => Sum(h => h.HostedSessions.Count),
            "{session}", "Sessions whose browser context lives on this silo");
        Meter.CreateObservableUpDownCounter("sessiongrid.browser.contexts", () => Sum(h => h.ContextCount),
            "{context}", "Browser contexts open on this silo: sessions and the warm pool");
        Meter.CreateObservableUpDownCounter("sessiongrid.browser.processes", () => Sum(h => h.ProcessCount),
            "{process}", "Chromium processes running on this silo");
    }

    /// <summary>Observes a browser host for the silo gauges while it runs.</summary>
    public static void Track(BrowserHost host) => Hosts.TryAdd(host, 0);

    public static void Untrack(BrowserHost host) => Hosts.TryRemove(host, out _);

    public static void ActionFinished(string type, ActionStatus status, double durationMs) =>
        ActionDuration.Record(durationMs / 1000, new TagList
        {
            { SessionGridTelemetry.ActionType, type },
            { SessionGridTelemetry.ActionOutcome, Outcome(status) },
        });

    public static void TaskFinished(TaskPhase phase, TaskKind kind, string? dialect) =>
        TasksFinished.Add(1, new TagList
        {
            { SessionGridTelemetry.TaskStatus, phase.ToString().ToLowerInvariant() },
            { SessionGridTelemetry.TaskKind, kind.ToString().ToLowerInvariant() },
            { SessionGridTelemetry.Dialect, dialect ?? Dialects.TaskApi },
        });

    /// <summary>A request of a page to a host on the block list was aborted (<c>image</c>, <c>script</c>, <c>xhr</c> …).</summary>
    public static void AdBlocked(string resourceType) =>
        AdsBlocked.Add(1, new TagList { { SessionGridTelemetry.ResourceType, resourceType } });

    /// <summary>An action's outcome as telemetry names it: <c>ok</c>, <c>timed_out</c>, <c>browser_error</c> …</summary>
    public static string Outcome(ActionStatus status) => status switch
    {
        ActionStatus.Ok => "ok",
        ActionStatus.Invalid => "invalid",
        ActionStatus.NotFound => "not_found",
        ActionStatus.TimedOut => "timed_out",
        ActionStatus.Refused => "refused",
        ActionStatus.Failed => "failed",
        ActionStatus.Interrupted => "interrupted",
        _ => "browser_error",
    };

    private static int Sum(Func<BrowserHost, int> measure) => Hosts.Keys.Sum(measure);
}
