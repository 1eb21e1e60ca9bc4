using Microsoft.AspNetCore.Http;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Artifacts;

/// <summary>
/// The links to a session's artifacts, opened by a signed token without an API key: <c>{base}/recordings/{id}?t=…</c>
/// (the video), <c>{base}/replay/{id}?t=…</c> (the video beside the session's events),
/// <c>{base}/downloads/{id}/{name}?t=…</c> (one downloaded file), <c>{base}/downloads/{id}?t=…</c> (the ZIP of them). The base is the live view's
/// (<see cref="LiveViewOptions.PublicBaseUrl"/>, else the request's scheme and host, or for a link the engine hands out
/// the address this server listens on). The engine's links (a <c>download</c> event's <c>url</c>) come from here too.
/// </summary>
public sealed class ArtifactLinkUrls(LiveViewLinks live) : IArtifactUrls
{
    public string? Download(string sessionId, string name, string token) =>
        live.ServerBase is { } baseUrl ? DownloadLink(baseUrl, sessionId, name, token) : null;

    /// <summary>The link to a task's video once it is there (its record handed out a token), else null.</summary>
    public string? Recording(HttpRequest request, TaskSnapshot task) =>
        task.RecordingToken is { } token ? Link(request, ArtifactEndpoints.RecordingsPath, task.Id, token) : null;

    /// <summary>The link to a task's replay page (its video beside its events) once the video is there, else null.</summary>
    public string? Replay(HttpRequest request, TaskSnapshot task) =>
        task.RecordingToken is { } token ? Link(request, ArtifactEndpoints.ReplayPath, task.Id, token) : null;

    /// <summary>The link to the ZIP of a session's downloads, for the client of <paramref name="request"/>.</summary>
    public string DownloadArchive(HttpRequest request, string sessionId, string token) => Link(request, ArtifactEndpoints.DownloadsPath, sessionId, token);

    /// <summary>The link to one downloaded file, for the client of <paramref name="request"/>.</summary>
    public string Download(HttpRequest request, string sessionId, string name, string token) => DownloadLink(Base(request), sessionId, name, token);

    private static string DownloadLink(string baseUrl, string sessionId, string name, string token) =>
        $"{baseUrl.TrimEnd('/')}{ArtifactEndpoints.DownloadsPath}/{Uri.EscapeDataString(sessionId)}/{Uri.EscapeDataString(name)}?t={Uri.EscapeDataString(token)}";

    private string Link(HttpRequest request, string path, string sessionId, string token) =>
        $"{Base(request)}{path}/{Uri.EscapeDataString(sessionId)}?t={Uri.EscapeDataString(token)}";

    private string Base(HttpRequest request) => live.PublicBase(request).TrimEnd('/');
}
