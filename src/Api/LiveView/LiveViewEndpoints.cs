using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Sessions;
using static SessionGrid.Api.Http.TokenEndpoint;

namespace SessionGrid.Api.LiveView;

/// <summary>
/// The live view: <c>GET /live/{sessionId}?t=…&amp;interactive=…&amp;embed=…</c> serves a self-contained page that shows the
/// session's browser, and <c>GET /live/{sessionId}/ws?t=…&amp;interactive=…</c> is its WebSocket (frames out, input in).
/// No API key: the token <c>t</c> is the credential, checked by the session itself before any page or socket is
/// served. A missing, malformed or wrong token is 403; a session that is not live (ended, unknown, or not open on this
/// host) is 404 whatever the token. Errors are <c>{"detail": …}</c>.
/// </summary>
public static class LiveViewEndpoints
{
    public const string Path = "/live";

    public static IEndpointRouteBuilder MapLiveView(this IEndpointRouteBuilder app)
    {
        var live = app.MapGroup(Path);
        live.MapGet("/{sessionId}", ServePage);
        live.MapGet("/{sessionId}/ws", ServeSocket);
        return app;
    }

    private static async Task<Results<ContentHttpResult, JsonHttpResult<JsonObject>>> ServePage(string sessionId, HttpContext http, IGrainFactory grains)
    {
        var (viewer, refused) = await OpenAsync(sessionId, http, grains);
        if (viewer is null)
        {
            return refused!;
        }

        // The page's address carries the token: it is not cached, and it is not sent on as a referrer.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.ContentSecurityPolicy = LiveViewPage.ContentSecurityPolicy;
        return TypedResults.Content(LiveViewPage.Render(sessionId, viewer.Interactive, viewer.Embed), "text/html; charset=utf-8");
    }

    private static async Task<Results<EmptyHttpResult, JsonHttpResult<JsonObject>>> ServeSocket(string sessionId, HttpContext http, IGrainFactory grains)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Detail(StatusCodes.Status400BadRequest, "this is the live view's WebSocket: connect to it with a WebSocket client");
        }

        var (viewer, refused) = await OpenAsync(sessionId, http, grains);
        if (viewer is null)
        {
            return refused!;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await new LiveViewSocket(socket, grains.GetGrain<ISessionGrain>(sessionId), viewer.Token, viewer.Interactive).RunAsync(http.RequestAborted);
        return TypedResults.Empty;
    }

    /// <summary>The viewer's request, once the session took its token; else (no viewer) the refusal to answer.</summary>
    private static async Task<(Viewer? Viewer, JsonHttpResult<JsonObject>? Refused)> OpenAsync(string sessionId, HttpContext http, IGrainFactory grains)
    {
        var query = http.Request.Query;
        if (!QueryFlags.TryBool(query["interactive"], out var interactive) || !QueryFlags.TryBool(query["embed"], out var embed))
        {
            return (null, Detail(StatusCodes.Status400BadRequest, "interactive and embed must be true or false"));
        }

        var token = query["t"].ToString();
        if (token.Length == 0)
        {
            return (null, Detail(StatusCodes.Status403Forbidden, "the live view needs its token: open the link as it was given, with its t"));
        }

        if (!IsWellFormed(token))
        {
            return (null, Forbidden());
        }

        if (sessionId.Length > MaxSessionIdLength)
        {
            return (null, NotLive());
        }

        var reply = await grains.GetGrain<ISessionGrain>(sessionId).CheckLiveTokenAsync(token);
        return reply.Accepted
            ? (new Viewer(token, interactive, embed), null)
            : (null, reply.Refusal == SessionRefusal.Forbidden ? Forbidden() : NotLive());
    }

    private static JsonHttpResult<JsonObject> Forbidden() =>
        Detail(StatusCodes.Status403Forbidden, "this live-view token does not open this session");

    /// <summary>Who opens the view: the token, whether their input goes to the page, and whether the page is framed.</summary>
    private sealed record Viewer(string Token, bool Interactive, bool Embed);
}
