using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Artifacts;

/// <summary>
/// How every route serves a session's artifact (by signed link or by API key): streamed from the store in slices, with
/// its <c>Content-Type</c>, <c>Content-Length</c> and <c>Accept-Ranges: bytes</c>, a range answered 206 (or 416 past
/// the end), never cached or sent on as a referrer. A video is shown inline; a downloaded file goes as an attachment
/// under its safe name, typed by its extension and sandboxed (it is whatever a page sent: it must not run as this
/// server's page).
/// </summary>
public static class ArtifactResults
{
    private static readonly FileExtensionContentTypeProvider Types = new();

    public static IResult Serve(HttpResponse response, ISessionArtifactsGrain grain, ArtifactKind kind, ArtifactReply opened, string? downloadName)
    {
        response.Headers.CacheControl = "private, no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        var contentType = opened.ContentType ?? "application/octet-stream";
        if (kind == ArtifactKind.Download)
        {
            response.Headers.ContentSecurityPolicy = "sandbox";
            contentType = Types.TryGetContentType(opened.Name!, out var byName) ? byName : "application/octet-stream";
        }

        return TypedResults.Stream(new ArtifactStream(grain, kind, opened.Name!, opened.Size), contentType, downloadName, enableRangeProcessing: true);
    }
}
