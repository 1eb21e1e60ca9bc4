using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// Pages that download: <c>/dl/</c> links to files of known names and sizes; <c>/dl/file/{name}?size=N</c> serves N
/// bytes of <see cref="Content"/> as an attachment named <c>name</c> (with its Content-Length, or chunked without one
/// when <c>chunked=true</c>); <c>/dl/raw?disposition=…</c> serves a file under a Content-Disposition as given, for hostile
/// names. <c>/dl/slow?size=N</c> sends N bytes slowly (with Content-Length), so a limit is met while it runs.
/// </summary>
public static class DownloadPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/dl/", (HttpRequest request) => Html("Downloads", string.Concat(
            request.Query["link"].Select((link, i) => $"<p><a id=\"link{i}\" href=\"{link}\">file {i}</a></p>"))));
        app.MapGet("/dl/file/{name}", async (string name, int size, bool? chunked, HttpResponse response) =>
        {
            response.ContentType = "application/octet-stream";
            response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            if (chunked != true)
            {
                response.ContentLength = size;
            }

            var bytes = Content(name, size);
            for (var sent = 0; sent < size; sent += 16 << 10)
            {
                await response.Body.WriteAsync(bytes.AsMemory(sent, Math.Min(16 << 10, size - sent)));
                await response.Body.FlushAsync();
            }
        });
        app.MapGet("/dl/raw", async (string disposition, HttpResponse response) =>
        {
            response.ContentType = "application/octet-stream";
            response.Headers.ContentDisposition = disposition;
            await response.Body.WriteAsync(Content("raw", 100));
        });
        app.MapGet("/dl/slow", async (int size, HttpResponse response, CancellationToken aborted) =>
        {
            response.ContentType = "application/octet-stream";
            response.Headers.ContentDisposition = "attachment; filename=\"slow.bin\"";
            response.ContentLength = size;
            var bytes = Content("slow.bin", size);
            for (var sent = 0; sent < size && !aborted.IsCancellationRequested; sent += 64 << 10)
            {
                await response.Body.WriteAsync(bytes.AsMemory(sent, Math.Min(64 << 10, size - sent)), aborted);
                await response.Body.FlushAsync(aborted);
                await Task.Delay(50, aborted);
            }
        });
    }

    /// <summary>The page that links to <paramref name="links"/> (as <c>#link0</c>, <c>#link1</c> …).</summary>
    public static string Page(TestPages pages, params string[] links) =>
        pages.Url("/dl/?" + string.Join("&", links.Select(l => "link=" + Uri.EscapeDataString(l))));

    /// <summary>The bytes the file named <paramref name="name"/> of <paramref name="size"/> bytes holds: the same every time.</summary>
    public static byte[] Content(string name, int size)
    {
        var bytes = new byte[size];
        new Random(name.Aggregate(size, (seed, c) => unchecked(seed * 31 + c))).NextBytes(bytes);
        return bytes;
    }

    private static IResult Html(string title, string body) =>
        Results.Content($"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>", "text/html");
}
