using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// The URL policy's test pages: <c>/policy/page</c> makes every kind of request a page can make to another origin
/// (image, script, stylesheet, iframe, fetch, WebSocket, an image through a redirect, a link), each to
/// <c>/policy/probe/{id}-{kind}</c>, which counts the requests that reached it.
/// </summary>
public static class PolicyPages
{
    /// <summary>The kinds of request the page makes by itself, as they name their probes.</summary>
    public static readonly string[] Kinds = ["img", "script", "css", "frame", "redirect", "fetch", "ws"];

    public static void Map(WebApplication app, ConcurrentDictionary<string, int> hits)
    {
        app.MapGet("/policy/probe/{id}", (string id) =>
        {
            hits.AddOrUpdate(id, 1, (_, n) => n + 1);
            return Results.Content("/* probe */", "text/plain");
        });
        app.MapGet("/policy/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/policy/page", (string origin, string id) =>
        {
            var probe = $"{origin}/policy/probe/{id}";
            var socket = "ws" + origin["http".Length..];
            var body = $$"""
                <img src="{{probe}}-img">
                <script src="{{probe}}-script"></script>
                <link rel="stylesheet" href="{{probe}}-css">
                <iframe src="{{probe}}-frame"></iframe>
                <img src="/policy/redirect?to={{WebUtility.UrlEncode(probe + "-redirect")}}">
                <a id="link" href="{{probe}}-link">link</a>
                <a id="redirect-link" href="/policy/redirect?to={{WebUtility.UrlEncode(probe + "-redirect-link")}}">redirect link</a>
                <script>
                  window.fetched = fetch('{{probe}}-fetch').then(() => 'reached', () => 'blocked');
                  window.socketDone = new Promise(done => {
                    const ws = new WebSocket('{{socket}}/policy/probe/{{id}}-ws');
                    ws.onerror = ws.onclose = () => done('closed');
                  });
                </script>
                """;
            return Results.Content($"<!doctype html><html><head><title>Policy</title></head><body>{body}</body></html>", "text/html");
        });
    }
}
