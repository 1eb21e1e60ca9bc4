using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Sessions;

/// <summary>Settings under <c>SessionGrid:Session</c>.</summary>
public sealed class SessionOptions
{
    public const string Section = "SessionGrid:Session";

    /// <summary>A session with no event for this long is closed (task <c>done</c>, event <c>session_closed</c> with reason <c>idle_timeout</c>).</summary>
    [Range(0d, int.MaxValue, MinimumIsExclusive = true)]
    public double IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>How many commands (events, scripts) may wait in a session's mailbox; more are refused (429).</summary>
    [Range(1, int.MaxValue)]
    public int MaxQueuedCommands { get; set; } = 64;

    /// <summary>
    /// How long after a client's command result a Task API read that has seen everything is still held for the client's
    /// next command (a client that reads again at once after a result, as the Python SDK's <c>async with</c> session
    /// does, would otherwise sleep its one-second poll interval); 0: not at all.
    /// </summary>
    [Range(0, 10_000)]
    public int FollowUpHoldMs { get; set; } = 1_000;
}
