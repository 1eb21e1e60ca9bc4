using Orleans.Concurrency;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Contracts.Browsing;

/// <summary>
/// What a browsing task does once its template is applied: run the agent, or run a list of actions (whose
/// <see cref="PayloadFrom"/> says which result is the task's payload: an action's index, or -1 for every result).
/// </summary>
[GenerateSerializer, Alias("sg.BrowsingPlan")]
public sealed record BrowsingPlan(
    [property: Id(0)] Agent.AgentSpec? Agent,
    [property: Id(1)] IReadOnlyList<BrowserAction> Actions,
    [property: Id(2)] int PayloadFrom = -1)
{
    /// <summary>The upstream proxy an operator template names for the task's sessions; null: the node's default.</summary>
    [Id(3)] public Sessions.UpstreamProxy? Proxy { get; init; }
}

/// <summary>Which nodes may run a task: one by name, or those of a country; both null allows any node.</summary>
[GenerateSerializer, Alias("sg.NodeFilter")]
public sealed record NodeFilter([property: Id(0)] string? NodeUid, [property: Id(1)] string? CountryIso)
{
    public static readonly NodeFilter Any = new(null, null);

    public override string ToString() =>
        NodeUid is { } node ? $"node_uid '{node}'" : CountryIso is { } country ? $"country_iso '{country}'" : "any node";
}

/// <summary>A browsing task as submitted, already checked and translated by the dialect.</summary>
[GenerateSerializer, Alias("sg.BrowsingSubmission")]
public sealed record BrowsingSubmission(
    [property: Id(0)] string Owner,
    [property: Id(1)] BrowsingPlan Plan,
    [property: Id(2)] NodeFilter Filter,
    [property: Id(3)] int Fanout,
    [property: Id(4)] int? TimeoutMs,
    [property: Id(5)] string? SessionKey,
    [property: Id(6)] ScreenshotMode? Screenshots,
    [property: Id(7)] bool FullPage);

/// <summary>
/// A browsing task's lifecycle in the engine's words, mirroring <see cref="Tasks.TaskPhase"/>: waiting → placed →
/// running → done | failed. Each dialect renders it in its own words. The values are persisted: never renumber them.
/// </summary>
[GenerateSerializer, Alias("sg.BrowsingPhase")]
public enum BrowsingPhase
{
    /// <summary>Accepted, and no node chosen yet.</summary>
    Waiting = 0,

    /// <summary>Its nodes are chosen and their sessions are opening.</summary>
    Placed = 1,

    /// <summary>A session runs its plan (with fanout, at least one).</summary>
    Running = 2,

    /// <summary>An attempt succeeded: the task has its payload.</summary>
    Done = 3,

    /// <summary>Every attempt failed, the timeout hit, or its node was lost.</summary>
    Failed = 4,
}

/// <summary>A browsing task's state: times are Unix ms; result members are set once it finished.</summary>
[GenerateSerializer, Alias("sg.BrowsingStatus")]
public sealed record BrowsingStatus(
    [property: Id(0)] string TaskId,
    [property: Id(1)] string Owner,
    [property: Id(2)] BrowsingPhase Phase,
    [property: Id(3)] long CreatedAt)
{
    [Id(4)] public long? FinishedAt { get; init; }
    [Id(5)] public bool? Success { get; init; }
    [Id(6)] public string? PayloadJson { get; init; }
    [Id(7)] public string? Error { get; init; }
    [Id(8)] public long? ExecutionTimeMs { get; init; }
    [Id(9)] public IReadOnlyList<string> Screenshots { get; init; } = [];

    /// <summary>The node that ran (or, while running, runs) the task; with fanout, the winner's.</summary>
    [Id(10)] public string? Node { get; init; }

    /// <summary>Where the screenshots are stored (the winning attempt's artifact scope).</summary>
    [Id(11)] public string? ScreenshotScope { get; init; }

    /// <summary>The session the task's outcome came from (the winner's, else the first failed attempt's): its recording is the task's.</summary>
    [Id(12)] public string? SessionId { get; init; }

    public bool Finished => Phase is BrowsingPhase.Done or BrowsingPhase.Failed;
}

/// <summary>The answer to a submission: accepted, or the reason it was refused (nothing was created).</summary>
[GenerateSerializer, Alias("sg.BrowsingReply")]
public sealed record BrowsingReply([property: Id(0)] bool Accepted, [property: Id(1)] string? Reason);

/// <summary>
/// One browsing task (dat.ai Browsing API): chooses its nodes, runs its plan in a session on each (fanout races
/// them, the first success wins), enforces its timeout, and keeps its status and result.
/// </summary>
[Alias("sg.IBrowsingTaskGrain")]
public interface IBrowsingTaskGrain : IGrainWithStringKey
{
    [Alias("Submit")]
    Task<BrowsingReply> SubmitAsync(BrowsingSubmission submission);

    /// <summary>The task's status, or null when no task has this id.</summary>
    [Alias("Status"), AlwaysInterleave]
    Task<BrowsingStatus?> StatusAsync();

    /// <summary>Waits up to <paramref name="maxWait"/> for the task to finish; returns its status either way (null when unknown).</summary>
    [Alias("Wait"), AlwaysInterleave]
    Task<BrowsingStatus?> WaitAsync(TimeSpan maxWait);

    /// <summary>One of the task's screenshots (PNG), or null when it has none by that name or it was removed.</summary>
    [Alias("Screenshot"), AlwaysInterleave]
    Task<SessionFile?> ScreenshotAsync(string name);
}

/// <summary>
/// The browser session behind a <c>session_key</c>: tasks of one key with the same session key run one after another
/// in it. A new session is opened (where the first such task is placed) when there is none or it ended.
/// </summary>
[Alias("sg.IKeyedSessionGrain")]
public interface IKeyedSessionGrain : IGrainWithStringKey
{
    /// <summary>The id and node of the key's open session, opening one on <paramref name="node"/> when needed.</summary>
    [Alias("Acquire")]
    Task<KeyedSession> AcquireAsync(SessionSpec spec, string node);
}

[GenerateSerializer, Alias("sg.KeyedSession")]
public sealed record KeyedSession([property: Id(0)] string SessionId, [property: Id(1)] string Node, [property: Id(2)] bool Opened);
