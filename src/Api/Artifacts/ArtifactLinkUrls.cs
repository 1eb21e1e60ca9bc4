using Microsoft.AspNetCore.Http;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Artifacts;

/// <summary>
/// The links to a session's artifacts, opened by a signed token without an API key: <c>{base}/downloads/{id}/{name}?t=…</c>
/// (one file), <c>{base}/downloads/{id}?t=…</c> (the ZIP of them). The base is the live view's
/// (<see cref="LiveViewOptions.PublicBaseUrl"/>, else the request's scheme and host, or for a link the engine hands out
/// the address this server listens on). The engine's links (a <c>download</c> event's <c>url</c>) come from here too.
/// </summary>
public sealed class ArtifactLinkUrls(LiveViewLinks live) : IArtifactUrls
{
    public string? Download(string sessionId, string name, string token) =>
        live.ServerBase is { } baseUrl ? DownloadLink(baseUrl, sessionId, name, token) : null;

    /// <summary>The link to the ZIP of a session's downloads, for the client of <paramref name="request"/>.</summary>
    public string DownloadArchive(HttpRequest request, string sessionId, string token) =>
        $"{Base(request)}{ArtifactEndpoints.DownloadsPath}/{Uri.EscapeDataString(sessionId)}?t={Uri.EscapeDataString(token)}";

    /// <summary>The link to one downloaded file, for the client of <paramref name="request"/>.</summary>
    public string Download(HttpRequest request, string sessionId, string name, string token) => DownloadLink(Base(request), sessionId, name, token);

    private static string DownloadLink(string baseUrl, string sessionId, string name, string token) =>
        $"{baseUrl.TrimEnd('/')}{ArtifactEndpoints.DownloadsPath}/{Uri.EscapeDataString(sessionId)}/{Uri.EscapeDataString(name)}?t={Uri.EscapeDataString(token)}";

    private string Base(HttpRequest request) => live.PublicBase(request).TrimEnd('/');
}
