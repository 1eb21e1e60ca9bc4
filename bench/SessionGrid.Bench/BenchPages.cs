using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionGrid.Bench;

/// <summary>The pages the benchmark browses, served on 127.0.0.1: a small page with a counter button.</summary>
public sealed class BenchPages : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchPages(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string Page => BaseUrl + "/page";

    public static async Task<BenchPages> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/page", () => Results.Content("""
            <!doctype html><html><head><title>bench</title></head><body>
            <button id="inc" onclick="document.getElementById('n').textContent = +document.getElementById('n').textContent + 1">+1</button>
            <span id="n">0</span><p>A small page for SessionGrid's benchmark.</p></body></html>
            """, "text/html"));
        await app.StartAsync();
        return new BenchPages(app, app.Urls.First());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
