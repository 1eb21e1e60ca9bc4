using Microsoft.AspNetCore.Http;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Cdp;

/// <summary>
/// A session's CDP endpoint, <c>ws(s)://{base}/cdp/{sessionId}?token={token}</c>, for sessions with a browser of their
/// own. The base is the live view's (<see cref="LiveViewOptions.PublicBaseUrl"/>, else the request's own scheme and
/// host), with <c>http</c> read as <c>ws</c> and <c>https</c> as <c>wss</c>.
/// </summary>
public sealed class CdpLinks(LiveViewLinks live)
{
    /// <summary>A task's <c>cdp_url</c> (<c>cdpUrl</c>): the endpoint while the task waits or runs, null once it finished or when it has none.</summary>
    public string? ForTask(HttpRequest request, TaskSnapshot task) =>
        task.Phase.IsFinished() || task.CdpToken is not { } token ? null : Link(live.PublicBase(request), CdpEndpoints.Path, task.Id, token);

    /// <summary><c>{base}{route}/{sessionId}?token={token}</c> as a WebSocket URL.</summary>
    public static string Link(string baseUrl, string route, string sessionId, string token)
    {
        var trimmed = baseUrl.TrimEnd('/');
        var socketBase = trimmed.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "wss:" + trimmed["https:".Length..]
            : trimmed.StartsWith("http:", StringComparison.OrdinalIgnoreCase) ? "ws:" + trimmed["http:".Length..]
            : trimmed;
        return $"{socketBase}{route}/{Uri.EscapeDataString(sessionId)}?token={Uri.EscapeDataString(token)}";
    }
}
