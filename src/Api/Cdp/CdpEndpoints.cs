using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Sessions;
using static SessionGrid.Api.Http.TokenEndpoint;

namespace SessionGrid.Api.Cdp;

/// <summary>
/// A dedicated session's CDP endpoint: <c>GET /cdp/{sessionId}?token=…</c>, a WebSocket that Playwright's
/// <c>connectOverCDP</c> and Puppeteer's <c>connect</c> take, piped to the browser-level DevTools WebSocket of the
/// session's own Chromium. No API key: the token is the credential, checked by the session before the upgrade is
/// accepted, so nothing reaches the browser on a refused request. The DevTools port listens on the loopback of the
/// node that runs the browser; an API on that node pipes to it directly, any other (another silo, an <c>api</c>-role
/// process) relays through that node's <c>GET /cdp-relay/{sessionId}?token=…</c>, at the address the session names
/// (<see cref="NodeOptions.InternalUrl"/>), which serves only the browsers of its own node. Refusals are
/// <c>{"detail": …}</c>: 400 without a WebSocket handshake, 403 a missing, malformed or foreign token, 404 a session
/// that is not live, 409 a session in a shared browser, 502/503 a browser that cannot be reached.
/// </summary>
public static partial class CdpEndpoints
{
    public const string Path = "/cdp";
    public const string RelayPath = "/cdp-relay";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The public endpoint, on every process that serves the API.</summary>
    public static IEndpointRouteBuilder MapCdp(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path + "/{sessionId}", (string sessionId, HttpContext http, IGrainFactory grains, ILoggerFactory logs) =>
            ConnectAsync(sessionId, http, grains, logs, relayed: false));
        return app;
    }

    /// <summary>The relay to this node's own dedicated browsers, on silos (where browsers run).</summary>
    public static IEndpointRouteBuilder MapCdpRelay(this IEndpointRouteBuilder app)
    {
        app.MapGet(RelayPath + "/{sessionId}", (string sessionId, HttpContext http, IGrainFactory grains, ILoggerFactory logs) =>
            ConnectAsync(sessionId, http, grains, logs, relayed: true));
        return app;
    }

    private static async Task<IResult> ConnectAsync(string sessionId, HttpContext http, IGrainFactory grains, ILoggerFactory logs, bool relayed)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Detail(StatusCodes.Status400BadRequest,
                "this is a session's CDP endpoint: connect to it with a CDP client (Playwright's connectOverCDP, Puppeteer's connect)");
        }

        var token = http.Request.Query["token"].ToString();
        if (token.Length == 0)
        {
            return Detail(StatusCodes.Status403Forbidden, "the CDP endpoint needs its token: connect to cdp_url as it was given, with its token");
        }

        if (!IsWellFormed(token))
        {
            return Forbidden();
        }

        if (sessionId.Length > MaxSessionIdLength)
        {
            return NotLive();
        }

        var session = grains.GetGrain<ISessionGrain>(sessionId);
        var access = await session.OpenCdpAsync(token);
        if (!access.Reply.Accepted)
        {
            return Refused(access.Reply);
        }

        // The browser runs here: its DevTools port on loopback. Elsewhere: its node's relay, unless this is the relay.
        var local = http.RequestServices.GetService<IDevToolsEndpoints>()?.Find(sessionId);
        Uri target;
        if (local is not null)
        {
            target = local;
        }
        else if (relayed)
        {
            return Detail(StatusCodes.Status503ServiceUnavailable, "the session's browser does not run on this node");
        }
        else if (access.RelayUrl is { } relay)
        {
            target = new Uri(CdpLinks.Link(relay, RelayPath, sessionId, token));
        }
        else
        {
            return Detail(StatusCodes.Status503ServiceUnavailable,
                "the node that runs the session's browser has no internal address to relay to (SessionGrid:Node:InternalUrl)");
        }

        var log = logs.CreateLogger(typeof(CdpEndpoints).FullName!);
        using var upstream = new ClientWebSocket();
        upstream.Options.CollectHttpResponseDetails = true;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted))
        {
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                await upstream.ConnectAsync(target, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                // A relay that refused says why by its status; the browser's own port only fails when it is gone.
                // Not the exception's message: the request's address carries the token.
                LogUnreachable(log, sessionId, local is null ? "relay" : "browser", upstream.HttpStatusCode == 0 ? ex.GetType().Name : $"HTTP {(int)upstream.HttpStatusCode}");
                return upstream.HttpStatusCode switch
                {
                    System.Net.HttpStatusCode.Forbidden => Forbidden(),
                    System.Net.HttpStatusCode.NotFound => NotLive(),
                    _ => Detail(StatusCodes.Status502BadGateway, "the session's browser could not be reached"),
                };
            }
        }

        using var client = await http.WebSockets.AcceptWebSocketAsync();
        LogConnected(log, sessionId, local is null ? "relay" : "browser");
        await new CdpPipe(client, upstream, local is null ? null : session, token).RunAsync(http.RequestAborted);
        LogDisconnected(log, sessionId);
        return TypedResults.Empty;
    }

    private static JsonHttpResult<JsonObject> Refused(SessionReply reply) => reply.Refusal switch
    {
        SessionRefusal.Forbidden => Forbidden(),
        SessionRefusal.Invalid => Detail(StatusCodes.Status409Conflict, reply.Reason!),
        _ => Detail(StatusCodes.Status404NotFound, $"no live session here: {reply.Reason}"),
    };

    private static JsonHttpResult<JsonObject> Forbidden() =>
        Detail(StatusCodes.Status403Forbidden, "this CDP token does not open this session");

    [LoggerMessage(Level = LogLevel.Information, Message = "CDP client connected to session {SessionId} (through its {Upstream})")]
    private static partial void LogConnected(ILogger log, string sessionId, string upstream);

    [LoggerMessage(Level = LogLevel.Information, Message = "CDP client of session {SessionId} disconnected")]
    private static partial void LogDisconnected(ILogger log, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CDP client of session {SessionId} not connected: its {Upstream} could not be reached ({Reason})")]
    private static partial void LogUnreachable(ILogger log, string sessionId, string upstream, string reason);
}
