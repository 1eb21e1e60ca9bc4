using System.Text.Json;

namespace SessionGrid.Grains.Tasks;

/// <summary>The JSON data of the engine's own notices in a task's event log.</summary>
public static class SessionNotices
{
    /// <summary><c>session_closed</c>: <c>{"reason": "...", "detail": "..."}</c>.</summary>
    public static string Closed(string reason, string? detail = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?> { ["reason"] = reason, ["detail"] = detail });

    /// <summary><c>navigation_failed</c>: the start URL of a session could not be opened.</summary>
    public static string NavigationFailed(string url, string? error) =>
        JsonSerializer.Serialize(new Dictionary<string, string?> { ["url"] = url, ["error"] = error });

    /// <summary><c>live_view</c>: the link of the session's live view, announced when an action waits for a person.</summary>
    public static string LiveView(string url) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["live_url"] = url });
}
