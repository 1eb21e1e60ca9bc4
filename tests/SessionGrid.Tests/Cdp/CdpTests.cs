using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;
using static SessionGrid.Tests.Cdp.CdpSteps;

namespace SessionGrid.Tests.Cdp;

/// <summary>A host whose log (Information, where CDP connections are logged) the tests read, and a Playwright driver for CDP clients.</summary>
public sealed class CdpHost : IAsyncLifetime
{
    public LogCapture Log { get; } = new();
    public SessionGridHost Host { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Information" }, console: Log);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Playwright.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

/// <summary>
/// Sessions with a browser of their own (<c>isolation: dedicated</c>) and their CDP endpoint, end to end: a real host,
/// its real Chromium, and Playwright .NET connecting over CDP as a client's script does.
/// </summary>
public sealed partial class CdpTests(CdpHost fixture, TestPages pages) : IClassFixture<CdpHost>
{
    private readonly TaskApiClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_Playwright_client_drives_the_sessions_own_page_while_Task_API_events_see_the_same_page()
    {
        var (session, cdpUrl) = await OpenDedicatedAsync(_client, pages.Url("/widgets"));
        Assert.Matches($"^{Regex.Escape(fixture.Host.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal))}/cdp/{session}\\?token=[0-9a-f]{{64}}$", cdpUrl);
        var task = (await _client.GetAsync(session)).R;
        Assert.Equal(cdpUrl, task["cdp_url"]!.GetValue<string>());
        Assert.DoesNotContain(TokenOf(cdpUrl), task["live_url"]!.GetValue<string>());

        var browser = await ConnectAsync(fixture.Playwright, cdpUrl);
        var page = SessionPage(browser);
        Assert.Equal(pages.Url("/widgets"), page.Url);

        // The client clicks; the session's own events see the clicks on the same page.
        await page.ClickAsync("#counter");
        await page.ClickAsync("#counter");
        Assert.Equal("2", await page.TextContentAsync("#clicks"));
        var clicks = await ProfileSteps.RunAsync(_client, session, "evaluate_js", new JsonObject { ["js"] = "document.querySelector('#clicks').textContent" });
        Assert.Equal("2", clicks.GetValue<string>());

        // The session navigates; the client sees where it went, and what the session typed.
        await ProfileSteps.RunAsync(_client, session, "goto", new JsonObject { ["url"] = pages.Url("/widgets") });
        await ProfileSteps.RunAsync(_client, session, "type", new JsonObject { ["selector"] = "#name", ["text"] = "typed by the session" });
        Assert.Equal("typed by the session", await page.InputValueAsync("#name"));
        Assert.Equal("0", await page.TextContentAsync("#clicks"));

        // A page the client opens is in the session's context: it shares its cookies.
        await page.EvaluateAsync("document.cookie = 'from=cdp; path=/'");
        var second = await browser.Contexts[0].NewPageAsync();
        await second.GotoAsync(pages.Url("/second"));
        Assert.Equal("from=cdp", await second.EvaluateAsync<string>("document.cookie"));
        await second.CloseAsync();

        // The browser is the session's own process, its DevTools port on loopback only.
        var devTools = fixture.Host.Services.GetRequiredService<IDevToolsEndpoints>().Find(session)!;
        Assert.Equal("127.0.0.1", devTools.Host);
        Assert.Equal(["0100007F"], ListeningAddresses(devTools.Port));

        var disconnected = DisconnectedAsync(browser);
        await ProfileSteps.CloseAsync(_client, session);
        await disconnected.WaitAsync(Patience);
        Assert.Null(fixture.Host.Services.GetRequiredService<IDevToolsEndpoints>().Find(session));
        Assert.Null((await _client.GetAsync(session)).R["cdp_url"]);
        Assert.DoesNotContain(TokenOf(cdpUrl), fixture.Log.Text);
        Assert.DoesNotContain("exited unexpectedly", fixture.Log.Text);
    }

    [Fact]
    public async Task Two_dedicated_sessions_each_see_only_their_own_browser()
    {
        var (red, redUrl) = await OpenDedicatedAsync(_client, pages.Url("/color/red"));
        var (blue, blueUrl) = await OpenDedicatedAsync(_client, pages.Url("/color/blue"));
        var shared = await _client.OpenSessionAsync(pages.Url("/second"));

        var redBrowser = await ConnectAsync(fixture.Playwright, redUrl);
        var blueBrowser = await ConnectAsync(fixture.Playwright, blueUrl);
        Assert.Equal(pages.Url("/color/red"), SessionPage(redBrowser).Url);
        Assert.Equal(pages.Url("/color/blue"), SessionPage(blueBrowser).Url);

        // At the protocol level too: each browser's targets are its own session's pages, nothing of the other sessions.
        await SessionPage(blueBrowser).Context.NewPageAsync();
        Assert.Equal([pages.Url("/color/red")], await PageTargetsAsync(redBrowser));
        Assert.Equal(["about:blank", pages.Url("/color/blue")], (await PageTargetsAsync(blueBrowser)).Order());
        Assert.NotEqual(fixture.Host.Services.GetRequiredService<IDevToolsEndpoints>().Find(red)!.Port,
            fixture.Host.Services.GetRequiredService<IDevToolsEndpoints>().Find(blue)!.Port);

        await redBrowser.CloseAsync();
        await blueBrowser.CloseAsync();
        foreach (var session in new[] { red, blue, shared })
        {
            await _client.CancelAsync(session);
        }
    }

    [Fact]
    public async Task Closing_the_session_through_either_dialect_or_browser_close_drops_the_connection()
    {
        // The Browser Session API's DELETE.
        var sessions = fixture.Host.SessionClient();
        var created = await sessions.CreateAsync("""{"isolation": "dedicated"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json["id"]!.GetValue<string>();
        var cdpUrl = created.Json["cdpUrl"]!.GetValue<string>();
        Assert.Equal(cdpUrl, (await sessions.GetAsync(id)).Json["cdpUrl"]!.GetValue<string>());
        var browser = await ConnectAsync(fixture.Playwright, cdpUrl);
        await SessionPage(browser).GotoAsync(pages.Url("/second"));
        var disconnected = DisconnectedAsync(browser);
        var deleted = await sessions.DeleteAsync(id);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Null(deleted.Json["cdpUrl"]);
        await disconnected.WaitAsync(Patience);
        Assert.Null((await sessions.GetAsync(id)).Json["cdpUrl"]);

        // A client's Browser.close (Puppeteer's browser.close()) closes the session: done, reason closed.
        var (session, url) = await OpenDedicatedAsync(_client, pages.Url("/"));
        var second = await ConnectAsync(fixture.Playwright, url);
        var gone = DisconnectedAsync(second);
        var cdp = await second.NewBrowserCDPSessionAsync();
        await cdp.SendAsync("Browser.close");
        await gone.WaitAsync(Patience);
        var done = await _client.WaitForStatusAsync(session, "done");
        Assert.Equal("closed", done["events"]!.AsArray()[^1]!["payload"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_foreign_missing_and_expired_tokens_and_shared_sessions_are_refused_before_the_upgrade()
    {
        var (session, cdpUrl) = await OpenDedicatedAsync(_client, pages.Url("/"));
        var (other, otherUrl) = await OpenDedicatedAsync(_client, pages.Url("/second"));
        var token = TokenOf(cdpUrl);
        var forged = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        foreach (var refused in new[] { WithToken(cdpUrl, forged), WithToken(cdpUrl, TokenOf(otherUrl)), WithToken(cdpUrl, ""),
            WithToken(cdpUrl, token[..20]), WithToken(cdpUrl, token.ToUpperInvariant()), cdpUrl[..cdpUrl.IndexOf('?', StringComparison.Ordinal)] })
        {
            var (status, detail) = await RefusalAsync(refused);
            Assert.True(status == HttpStatusCode.Forbidden, $"{status}: {detail}");
            Assert.False(string.IsNullOrEmpty(detail));
        }

        // A session that never was; a request that is no WebSocket handshake.
        Assert.Equal(HttpStatusCode.NotFound, (await RefusalAsync(cdpUrl.Replace(session, "task_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), StringComparison.Ordinal))).Status);
        using var http = new HttpClient();
        using var plain = await http.GetAsync(cdpUrl.Replace("ws://", "http://", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        // A session in a shared browser has no cdp_url, and its endpoint says how to get one, whatever the token.
        var shared = await _client.OpenSessionAsync(pages.Url("/"));
        var sharedTask = (await _client.GetAsync(shared)).R;
        Assert.True(sharedTask.AsObject().ContainsKey("cdp_url"));
        Assert.Null(sharedTask["cdp_url"]);
        var sharedLive = sharedTask["live_url"]!.GetValue<string>();
        var conflict = await RefusalAsync(cdpUrl.Replace(session, shared, StringComparison.Ordinal).Replace(token, sharedLive[(sharedLive.IndexOf("?t=", StringComparison.Ordinal) + 3)..], StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Contains("isolation: dedicated", conflict.Detail);
        var sharedSession = (await fixture.Host.SessionClient().CreateAsync()).Json;
        Assert.True(sharedSession.AsObject().ContainsKey("cdpUrl"));
        Assert.Null(sharedSession["cdpUrl"]);

        // Once the session ended, its token opens nothing; the other session's still does.
        await _client.CancelAsync(session);
        await _client.WaitForStatusAsync(session, "cancelled");
        var expired = await RefusalAsync(cdpUrl);
        Assert.Equal(HttpStatusCode.NotFound, expired.Status);
        var stillOpen = await ConnectAsync(fixture.Playwright, otherUrl);
        Assert.Equal(pages.Url("/second"), SessionPage(stillOpen).Url);
        await stillOpen.CloseAsync();
        await _client.CancelAsync(other);
        await _client.CancelAsync(shared);
        await fixture.Host.SessionClient().DeleteAsync(sharedSession["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_isolation_is_a_400_in_each_dialects_error_shape()
    {
        foreach (var isolation in new JsonNode?[] { "private", "Dedicated", 1, new JsonArray() })
        {
            var task = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["isolation"] = isolation }.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, task.Status);
            Assert.Contains("isolation", task.Detail);

            var session = await fixture.Host.SessionClient().CreateAsync(new JsonObject { ["isolation"] = isolation?.DeepClone() }.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, session.Status);
            Assert.Equal("application/problem+json", session.ContentType);
            Assert.Contains("isolation", session.Json["detail"]!.GetValue<string>());
        }

        Assert.Equal("isolation must be shared or dedicated", (await _client.SubmitAsync("""{"task": null, "isolation": "private"}""")).Detail);
    }

    [Fact]
    public async Task The_client_cannot_reach_the_nodes_files_and_its_downloads_stay_with_SessionGrid()
    {
        var (session, cdpUrl) = await OpenDedicatedAsync(_client, pages.Url("/upload"));
        var browser = await ConnectAsync(fixture.Playwright, cdpUrl);
        var page = SessionPage(browser);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var root = await browser.NewBrowserCDPSessionAsync();

        foreach (var url in new[] { "file:///etc/passwd", " FILE:///etc/hostname", "chrome://version", "view-source:" + pages.Url("/"), "about:version" })
        {
            var navigate = await Assert.ThrowsAsync<PlaywrightException>(() => cdp.SendAsync("Page.navigate", new Dictionary<string, object> { ["url"] = url }));
            Assert.Contains("only http, https, data: and about:blank", navigate.Message);
            await Assert.ThrowsAsync<PlaywrightException>(() => root.SendAsync("Target.createTarget", new Dictionary<string, object> { ["url"] = url }));
        }

        var document = await cdp.SendAsync("DOM.getDocument");
        var input = await cdp.SendAsync("DOM.querySelector", new Dictionary<string, object> { ["nodeId"] = document!.Value.GetProperty("root").GetProperty("nodeId").GetInt32(), ["selector"] = "#file" });
        var files = await Assert.ThrowsAsync<PlaywrightException>(() => cdp.SendAsync("DOM.setFileInputFiles",
            new Dictionary<string, object> { ["files"] = new[] { "/etc/passwd" }, ["nodeId"] = input!.Value.GetProperty("nodeId").GetInt32() }));
        Assert.Contains("DOM.setFileInputFiles", files.Message);
        await root.SendAsync("Browser.setDownloadBehavior", new Dictionary<string, object> { ["behavior"] = "allow", ["downloadPath"] = "/tmp" });

        // The page is where it was, and allowed URLs still open.
        Assert.Equal(pages.Url("/upload"), page.Url);
        await cdp.SendAsync("Page.navigate", new Dictionary<string, object> { ["url"] = pages.Url("/second") });
        await WaitForUrlAsync(page, "/second");
        await browser.CloseAsync();
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task No_page_on_the_node_reaches_a_dedicated_browsers_DevTools_port()
    {
        var (session, cdpUrl) = await OpenDedicatedAsync(_client, pages.Url("/"));
        var (other, _) = await OpenDedicatedAsync(_client, pages.Url("/second"));
        var shared = await _client.OpenSessionAsync(pages.Url("/"));
        var port = fixture.Host.Services.GetRequiredService<IDevToolsEndpoints>().Find(other)!.Port;
        var browser = await ConnectAsync(fixture.Playwright, cdpUrl);
        var page = SessionPage(browser);

        // Its HTTP side would list (and close) the other session's pages: a CDP client's page cannot open it, nor fetch it.
        foreach (var host in new[] { "127.0.0.1", "localhost", "[::1]" })
        {
            var list = $"http://{host}:{port}/json/list";
            Assert.Equal("blocked", await page.EvaluateAsync<string>("url => fetch(url, { mode: 'no-cors' }).then(() => 'reached', () => 'blocked')", list));
            var tab = await page.Context.NewPageAsync();
            var opened = await Assert.ThrowsAsync<PlaywrightException>(() => tab.GotoAsync(list));
            Assert.Contains("ERR_BLOCKED_BY_CLIENT", opened.Message);
            await tab.CloseAsync();
        }

        // Nor a shared session's page; the test pages on loopback still open.
        var refused = await _client.ActionAsync(shared, "devtools", "browser_action", "goto", new JsonObject { ["url"] = $"http://127.0.0.1:{port}/json/list" });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.NotEqual(200, (await _client.WaitForEventAsync(shared, "devtools"))["payload"]!["code"]!.GetValue<int>());
        await page.GotoAsync(pages.Url("/second"));
        Assert.Equal("Second page", await page.TitleAsync());

        await browser.CloseAsync();
        foreach (var id in new[] { session, other, shared })
        {
            await _client.CancelAsync(id);
        }
    }

    /// <summary>The URLs of the page targets the browser behind <paramref name="browser"/> has, as the protocol lists them.</summary>
    private static async Task<List<string>> PageTargetsAsync(IBrowser browser)
    {
        var cdp = await browser.NewBrowserCDPSessionAsync();
        var targets = await cdp.SendAsync("Target.getTargets");
        return [.. targets!.Value.GetProperty("targetInfos").EnumerateArray()
            .Where(t => t.GetProperty("type").GetString() == "page")
            .Select(t => t.GetProperty("url").GetString()!)];
    }

    /// <summary>The local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on <paramref name="port"/>.</summary>
    private static List<string> ListeningAddresses(int port) =>
        [.. File.ReadAllLines("/proc/net/tcp").Concat(File.ReadAllLines("/proc/net/tcp6")).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[3] == "0A" && f[1].EndsWith(":" + port.ToString("X4", CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .Select(f => f[1].Split(':')[0])];
}
