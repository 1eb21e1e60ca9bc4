namespace SessionGrid.Contracts.Sessions;

/// <summary>Why a session ended; rendered as the <c>reason</c> of its <c>session_closed</c> event.</summary>
public static class SessionEndReasons
{
    public const string Closed = "closed";
    public const string Cancelled = "cancelled";
    public const string IdleTimeout = "idle_timeout";
    public const string BrowserCrashed = "browser_crashed";
    public const string BrowserUnavailable = "browser_unavailable";
    public const string HostStopping = "host_stopping";
    public const string SessionLost = "session_lost";
    /// <summary>The session's node was drained (scale-down, upgrade) and the session did not end within the drain time.</summary>
    public const string NodeDraining = "node_draining";
    /// <summary>Every browser context of the session's silo stayed taken for the whole queue timeout.</summary>
    public const string NoCapacity = "no_capacity";
    /// <summary>A one-shot agent task finished (done or failed) and its session closed with it.</summary>
    public const string TaskFinished = "task_finished";
}
