using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SessionGrid.Api.Console;

/// <summary>
/// The web console at <c>/console</c>: a static page, its script and style, embedded in this assembly (no build step,
/// nothing from elsewhere). The script signs in with a key kept in <c>sessionStorage</c> and sends it as the
/// <c>apikey</c> header to the public APIs; the page itself needs no key. A content security policy allows only this
/// origin's script, style, fetches and frames (the live view), so text from the API can never run as script.
/// </summary>
public static class ConsolePages
{
    public const string Path = "/console";

    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; " +
        "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        [""] = ("console/index.html", "text/html; charset=utf-8"),
        ["console.js"] = ("console/console.js", "text/javascript; charset=utf-8"),
        ["console.css"] = ("console/console.css", "text/css; charset=utf-8"),
    };

    /// <summary>The console's pages and its read-only API.</summary>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapConsoleApi();
        app.MapGet(Path, (HttpContext http) => Serve(http, "")).ExcludeFromDescription();
        app.MapGet(Path + "/{asset}", (string asset, HttpContext http) => Serve(http, asset)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string asset)
    {
        if (!Assets.TryGetValue(asset, out var found) || typeof(ConsolePages).Assembly.GetManifestResourceStream(found.Resource) is not { } stream)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Stream(stream, found.ContentType);
    }
}
