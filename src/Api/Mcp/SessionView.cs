using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Http;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// A session as the MCP server shows it (the answer of <c>session_open</c>, an entry of <c>session_list</c>, a
/// resource's contents): its id, its task status in the Task API's words (the session is a Task API task), its
/// device, the URL and title of its page, and its live-view and CDP links while it runs.
/// </summary>
public static class SessionView
{
    /// <summary>The URI scheme of a session resource: <c>sessiongrid://sessions/{id}</c>.</summary>
    public const string UriPrefix = "sessiongrid://sessions/";

    public static string Uri(string sessionId) => UriPrefix + System.Uri.EscapeDataString(sessionId);

    /// <summary>The session id a resource URI names; null when it names no session.</summary>
    public static string? IdOf(string uri) =>
        uri.StartsWith(UriPrefix, StringComparison.Ordinal) && uri.Length > UriPrefix.Length ? System.Uri.UnescapeDataString(uri[UriPrefix.Length..]) : null;

    /// <summary>The status as the Task API says it: waiting, running, done, failed, cancelled.</summary>
    public static string Status(TaskPhase phase) => phase.ToString().ToLowerInvariant();

    public static JsonObject Describe(TaskSnapshot task, SessionInfo? page, HttpRequest request, LiveViewLinks live, CdpLinks cdp) => new()
    {
        ["session_id"] = task.Id,
        ["uri"] = Uri(task.Id),
        ["status"] = Status(task.Phase),
        ["device"] = DeviceWire.Name(task.Device),
        ["url"] = page?.Url ?? task.Url,
        ["title"] = page?.Title,
        ["live_url"] = live.ForTask(request, task),
        ["cdp_url"] = cdp.ForTask(request, task),
        ["created_at"] = task.CreatedAt,
    };
}
