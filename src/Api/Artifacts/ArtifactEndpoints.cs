using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Sessions;
using static SessionGrid.Api.Http.TokenEndpoint;

namespace SessionGrid.Api.Artifacts;

/// <summary>
/// A session's artifacts by signed link, without an API key (the token <c>t</c> is the credential, signed for one session
/// and kind, and expiring): <c>GET /recordings/{sessionId}?t=…</c> its video (inline, ranges answered, so a browser's
/// <c>&lt;video&gt;</c> seeks in it), <c>GET /downloads/{sessionId}?t=…</c> the ZIP of its downloaded files,
/// <c>GET /downloads/{sessionId}/{name}?t=…</c> one of them, <c>GET /replay/{sessionId}?t=…</c> (the recording's token)
/// the video beside the session's events. A missing, malformed, forged, another session's or expired
/// token is 403; an artifact that is not there (never was, or swept) is 404; a video still being finished 409; all
/// <c>{"detail": …}</c>, without data.
/// </summary>
public static class ArtifactEndpoints
{
    public const string DownloadsPath = "/downloads";
    public const string RecordingsPath = "/recordings";
    public const string ReplayPath = "/replay";

    /// <summary>How a refused artifact answers: 403 a token that does not open it, 404 none there, 409 a video still being finished.</summary>
    public static readonly RefusalStatuses Refusals = RefusalStatuses.Default;

    /// <summary>Longer tokens are no token of ours: refused without asking.</summary>
    private const int MaxTokenLength = 128;

    public static IEndpointRouteBuilder MapArtifacts(this IEndpointRouteBuilder app)
    {
        app.MapGet(RecordingsPath + "/{sessionId}", (string sessionId, HttpContext http, IGrainFactory grains) =>
            ServeLinkAsync(sessionId, ArtifactKind.Recording, null, http, grains));
        app.MapGet(ReplayPath + "/{sessionId}", ServeReplayAsync);
        app.MapGet(DownloadsPath + "/{sessionId}", (string sessionId, HttpContext http, IGrainFactory grains) =>
            ServeLinkAsync(sessionId, ArtifactKind.DownloadArchive, null, http, grains));
        app.MapGet(DownloadsPath + "/{sessionId}/{name}", (string sessionId, string name, HttpContext http, IGrainFactory grains) =>
            ServeLinkAsync(sessionId, ArtifactKind.Download, name, http, grains));
        return app;
    }

    private static async Task<IResult> ServeLinkAsync(string sessionId, ArtifactKind kind, string? name, HttpContext http, IGrainFactory grains)
    {
        var (grain, opened, refused) = await OpenLinkAsync(sessionId, kind, name, http, grains);
        return refused ?? ArtifactResults.Serve(http.Response, grain, kind, opened!, DownloadName(sessionId, kind, opened!));
    }

    /// <summary>
    /// <c>GET /replay/{sessionId}?t=…</c>: the session's video beside its events (<see cref="ReplayPage"/>), opened by the
    /// recording's own token, refused as the video would be.
    /// </summary>
    private static async Task<IResult> ServeReplayAsync(string sessionId, HttpContext http, IGrainFactory grains)
    {
        var (_, _, refused) = await OpenLinkAsync(sessionId, ArtifactKind.Recording, null, http, grains);
        if (refused is not null)
        {
            return refused;
        }

        var task = await grains.GetGrain<Contracts.Tasks.ITaskGrain>(sessionId).GetAsync(0, includeEvents: true);
        if (task is null)
        {
            return Detail(StatusCodes.Status404NotFound, "no such session");
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.ContentSecurityPolicy = ReplayPage.ContentSecurityPolicy;
        return TypedResults.Content(ReplayPage.Render(task, http.Request.Query["t"].ToString()), "text/html; charset=utf-8");
    }

    /// <summary>The artifact a link names once its token was checked; else the refusal to answer, without data.</summary>
    private static async Task<(ISessionArtifactsGrain Grain, ArtifactReply? Opened, IResult? Refused)> OpenLinkAsync(
        string sessionId, ArtifactKind kind, string? name, HttpContext http, IGrainFactory grains)
    {
        var grain = grains.GetGrain<ISessionArtifactsGrain>(sessionId);
        var token = http.Request.Query["t"].ToString();
        if (token.Length == 0)
        {
            return (grain, null, Detail(StatusCodes.Status403Forbidden, "this link needs its token: open it as it was given, with its t"));
        }

        if (token.Length > MaxTokenLength)
        {
            return (grain, null, Detail(StatusCodes.Status403Forbidden, "this link's token does not open this session's files"));
        }

        if (sessionId.Length > MaxSessionIdLength)
        {
            return (grain, null, Detail(StatusCodes.Status404NotFound, "no such session"));
        }

        var opened = await grain.OpenLinkAsync(kind, name, token);
        return opened.Reply.Accepted ? (grain, opened, null) : (grain, null, Detail(Refusals.Of(opened.Reply), opened.Reply.Reason!));
    }

    /// <summary>The name a client saves the artifact under: a downloaded file's own, the ZIP's <c>{session}-downloads.zip</c>; none for a video, shown inline.</summary>
    public static string? DownloadName(string sessionId, ArtifactKind kind, ArtifactReply opened) => kind switch
    {
        ArtifactKind.Download => opened.Name,
        ArtifactKind.DownloadArchive => $"{sessionId}-downloads.zip",
        _ => null,
    };
}
