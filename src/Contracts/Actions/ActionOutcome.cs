namespace SessionGrid.Contracts.Actions;

/// <summary>How an action ended, in engine terms; each dialect maps it to its own codes.</summary>
[GenerateSerializer, Alias("sg.ActionStatus")]
public enum ActionStatus
{
    Ok = 0,
    /// <summary>The request was invalid for this page or state (recoverable).</summary>
    Invalid = 1,
    /// <summary>A selector or target matched nothing.</summary>
    NotFound = 2,
    TimedOut = 3,
    /// <summary>Refused by the URL policy.</summary>
    Refused = 4,
    /// <summary>The page ran the action and it failed (a script threw, a navigation failed).</summary>
    Failed = 5,
    /// <summary>The session ended while the action was queued or running.</summary>
    Interrupted = 6,
    /// <summary>The browser itself failed.</summary>
    BrowserError = 7,
}

/// <summary>The result of one action: its status, its value as JSON (when ok) or an error message, and how long it took.</summary>
[GenerateSerializer, Alias("sg.ActionOutcome")]
public sealed record ActionOutcome(
    [property: Id(0)] string Action,
    [property: Id(1)] ActionStatus Status,
    [property: Id(2)] string? Value,
    [property: Id(3)] string? Error,
    [property: Id(4)] double DurationMs)
{
    public bool Ok => Status == ActionStatus.Ok;

    /// <summary>Credits the action used (agent steps); 0 for deterministic actions.</summary>
    [Id(5)] public int Credits { get; init; }

    public static ActionOutcome Success(string action, string? valueJson, double durationMs) => new(action, ActionStatus.Ok, valueJson, null, durationMs);

    public static ActionOutcome Failure(string action, ActionStatus status, string error, double durationMs = 0) => new(action, status, null, error, durationMs);
}
