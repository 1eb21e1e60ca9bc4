using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Cdp;

/// <summary>What the CDP tests do: open sessions with their own browser, connect to them over CDP, try refused connections.</summary>
public static class CdpSteps
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Opens a Task API session with <c>isolation: dedicated</c>; its id and its <c>cdp_url</c>. The open answers before
    /// the session's start navigation ran, so this waits for it: a command runs after it, and reads where the page is.
    /// </summary>
    public static async Task<(string Session, string CdpUrl)> OpenDedicatedAsync(TaskApiClient client, string? url)
    {
        var opened = await client.SubmitAsync(new JsonObject { ["task"] = null, ["url"] = url, ["isolation"] = "dedicated" }.ToJsonString());
        Assert.True(opened.Status == HttpStatusCode.OK, $"{opened.Status}: {opened.Detail}");
        var session = opened.R["id"]!.GetValue<string>();
        if (url is not null)
        {
            var at = await ProfileSteps.RunAsync(client, session, "evaluate_js", new JsonObject { ["js"] = "location.href" });
            Assert.Equal(url, at.GetValue<string>());
        }

        return (session, opened.R["cdp_url"]!.GetValue<string>());
    }

    /// <summary>Connects Playwright to a <c>cdp_url</c>, as a client's script does.</summary>
    public static Task<IBrowser> ConnectAsync(IPlaywright playwright, string cdpUrl) =>
        playwright.Chromium.ConnectOverCDPAsync(cdpUrl, new BrowserTypeConnectOverCDPOptions { Timeout = (float)Patience.TotalMilliseconds });

    /// <summary>The one page a session's CDP client sees: the session's own.</summary>
    public static IPage SessionPage(IBrowser browser) => Assert.Single(Assert.Single(browser.Contexts).Pages);

    /// <summary>Waits for a page (seen through CDP) to be at a URL that ends with <paramref name="path"/>.</summary>
    public static Task WaitForUrlAsync(IPage page, string path) =>
        Eventually.Until(() => Task.FromResult(page.Url.EndsWith(path, StringComparison.Ordinal) ? page.Url : null), Patience, $"the page to be at {path}");

    /// <summary>
    /// Tries a WebSocket handshake with <paramref name="url"/> and returns the HTTP status it was refused with (the test
    /// fails when the upgrade was accepted) and the <c>detail</c> of the refusal's body.
    /// </summary>
    public static async Task<(HttpStatusCode Status, string? Detail)> RefusalAsync(string url)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(url), CancellationToken.None));

        // The same handshake by hand, to read the refusal's body (a WebSocket client does not show it).
        using var http = new HttpClient();
        using var handshake = new HttpRequestMessage(HttpMethod.Get, url.Replace("ws://", "http://", StringComparison.Ordinal));
        handshake.Headers.Connection.Add("Upgrade");
        handshake.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        handshake.Headers.Add("Sec-WebSocket-Version", "13");
        handshake.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var refused = await http.SendAsync(handshake);
        Assert.Equal(socket.HttpStatusCode, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        return (socket.HttpStatusCode, body.Length > 0 ? JsonNode.Parse(body)?["detail"]?.GetValue<string>() : null);
    }

    /// <summary>A <c>cdp_url</c> with another token.</summary>
    public static string WithToken(string cdpUrl, string token) => cdpUrl[..(cdpUrl.IndexOf("?token=", StringComparison.Ordinal) + "?token=".Length)] + token;

    public static string TokenOf(string cdpUrl) => cdpUrl[(cdpUrl.IndexOf("?token=", StringComparison.Ordinal) + "?token=".Length)..];

    /// <summary>Resolves when <paramref name="browser"/> learns that its connection closed.</summary>
    public static Task DisconnectedAsync(IBrowser browser)
    {
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        browser.Disconnected += (_, _) => disconnected.TrySetResult();
        if (!browser.IsConnected)
        {
            disconnected.TrySetResult();
        }

        return disconnected.Task;
    }
}
