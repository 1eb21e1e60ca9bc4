namespace SessionGrid.Contracts.Sessions;

/// <summary>Why a session did not take a request.</summary>
[GenerateSerializer, Alias("sg.SessionRefusal")]
public enum SessionRefusal
{
    None = 0,
    /// <summary>The session has ended.</summary>
    Closed = 1,
    /// <summary>The session is not open on this host (its host restarted, or it is still opening).</summary>
    NotOpenHere = 2,
    /// <summary>The request does not fit this session (an action's timeout, a file never uploaded, a point outside the viewport).</summary>
    Invalid = 3,
    /// <summary>A per-session limit (files, pending scripts) is reached.</summary>
    LimitReached = 4,
    /// <summary>Something the request names (a profile) does not exist for its owner.</summary>
    NotFound = 5,
    /// <summary>Something the request names is in use (a profile another running session writes to).</summary>
    Conflict = 6,
    /// <summary>The credential the request carries (a live-view token) is not this session's.</summary>
    Forbidden = 7,
}

/// <summary>Whether a session took a request (a command into its mailbox, a file), and why not.</summary>
[GenerateSerializer, Alias("sg.SessionReply")]
/// <param name="ActionIndex">For a refused script: the index of the action that does not fit.</param>
public sealed record SessionReply(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] SessionRefusal Refusal = SessionRefusal.None,
    [property: Id(3)] int? ActionIndex = null)
{
    public static readonly SessionReply Ok = new(true, null);

    public static SessionReply Rejected(SessionRefusal refusal, string reason, int? actionIndex = null) => new(false, reason, refusal, actionIndex);
}
