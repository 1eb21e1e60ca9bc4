using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Console;

/// <summary>
/// The web console at /console in a real headless Chromium against a real host: sign-in, the sessions of every dialect,
/// one session's events, its live view and take-over, a failed session's reason, profiles, credentials, files, nodes,
/// the admin's keys; and each bad input of the issue (a wrong key, another tenant's session, HTML from the API, an
/// admin page with a tenant's key). Every page is also saved as a PNG at 1280 × 800 (and some at a phone's width).
/// </summary>
public sealed class ConsoleTests(ConsoleHost fixture, TestPages pages) : IClassFixture<ConsoleHost>
{
    /// <summary>HTML that would run if the console put API text on the page as HTML.</summary>
    private const string Xss = "<img src=x onerror=\"window.__xss=(window.__xss||0)+1\">";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TaskApiClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_running_session_appears_and_its_page_shows_events_as_they_come_the_live_view_and_a_take_over_that_clicks()
    {
        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, TestKeys.A);
            var session = await _client.OpenSessionAsync(pages.Url("/widgets"));

            // The list refreshes itself: the new session shows up, running, with its dialect, device, node and URL.
            var row = page.Locator($"#sessions-list tr[data-id='{session}']");
            await row.WaitForAsync();
            Assert.Contains("running", await row.InnerTextAsync());
            Assert.Contains("task", await row.InnerTextAsync());
            Assert.Contains(fixture.Host.NodeName, await row.InnerTextAsync());
            Assert.Contains(pages.Url("/widgets"), await row.InnerTextAsync());
            await ConsoleHost.ScreenshotAsync(page, "sessions");

            // Open it from the list by the keyboard.
            await row.Locator("a").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await page.Locator("#session-facts").GetByText("running").WaitForAsync();

            // An action sent meanwhile appears in the timeline without a reload.
            await _client.ActionAsync(session, "title-1", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.title" });
            await page.Locator("#events tr", new() { HasText = "title-1" }).GetByText("Widgets").WaitForAsync();

            // The embedded live view shows the page (frames arrive), view only.
            var frame = await LiveFrameAsync(page);
            await Eventually.Until(async () => await frame.EvaluateAsync<int>("window.liveView.frames") > 0 ? "frame" : null, Patience, "a frame in the console's live view");
            Assert.Equal("false", await page.Locator("#take-over").GetAttributeAsync("aria-pressed"));
            await ConsoleHost.ScreenshotAsync(page, "session-running");

            // Take over, then click the remote page's counter button through the view.
            await page.Locator("#take-over").ClickAsync();
            frame = await Eventually.Until(async () =>
            {
                var f = await LiveFrameAsync(page);
                return f.Url.Contains("interactive=true", StringComparison.Ordinal) && await f.EvaluateAsync<bool>("!!window.liveView && window.liveView.status === 'live' && window.liveView.frames > 0") ? f : null;
            }, Patience, "the interactive live view");
            var point = await RemoteCenterAsync(session, "#counter");
            var screen = frame.Locator("#screen");
            var box = (await screen.BoundingBoxAsync())!;
            var (width, height) = (await frame.EvaluateAsync<int>("window.liveView.width"), await frame.EvaluateAsync<int>("window.liveView.height"));
            await screen.ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)(point[0] * box.Width / width), Y = (float)(point[1] * box.Height / height) } });
            await Eventually.Until(async () => await EvaluateAsync(session, "document.querySelector('#clicks').textContent") == "1" ? "clicked" : null, Patience, "the click to reach the remote page");

            // The session ends: the page says so, and the live view goes.
            await _client.CancelAsync(session);
            await page.Locator("#session-facts").GetByText("cancelled").WaitForAsync();
            await page.Locator("#live").GetByText("no live view").WaitForAsync();
            Assert.Equal(0, await page.Locator("#live-frame").CountAsync());
        });
    }

    [Fact]
    public async Task An_ended_recorded_session_shows_its_video_that_plays_and_a_link_to_its_replay()
    {
        var id = await _client.OpenSessionAsync(pages.Url("/"));
        Assert.Equal(HttpStatusCode.OK, (await _client.ActionAsync(id, "go-second", "browser_action", "goto", new JsonObject { ["url"] = pages.Url("/second") })).Status);
        await _client.WaitForEventAsync(id, "go-second", Patience);
        await _client.CancelAsync(id);
        var recording = await Eventually.Until(async () =>
            (await _client.GetAsync(id)).R["recording_url"]?.GetValue<string>() is { Length: > 0 } url ? url : null, Patience, "the recording");

        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, TestKeys.A);
            await page.Locator($"#sessions-list tr[data-id='{id}'] a").ClickAsync();
            var link = page.Locator("#replay-link");
            await link.WaitForAsync();
            // Signed links of their own (a token minted per read), to this session's replay page and video.
            static string Path(string? url) => url![..url!.IndexOf("?t=", StringComparison.Ordinal)];
            Assert.Equal(Path(recording).Replace("/recordings/", "/replay/", StringComparison.Ordinal), Path(await link.GetAttributeAsync("href")));
            Assert.Equal(Path(recording), Path(await page.Locator("#replay-video").GetAttributeAsync("src")));

            // The video loads in the page (its metadata: a duration), as the console's content policy allows.
            await page.WaitForFunctionAsync("() => { const v = document.getElementById('replay-video'); return v && v.readyState >= 1 && v.duration > 0; }",
                null, new PageWaitForFunctionOptions { Timeout = (float)Patience.TotalMilliseconds });
            await ConsoleHost.ScreenshotAsync(page, "session-replay");
        });
    }

    [Fact]
    public async Task A_failed_session_shows_its_reason_and_its_failed_steps_highlighted()
    {
        fixture.Model.Reset();
        var submitted = await _client.SubmitAsync(new JsonObject { ["task"] = "Read the greeting", ["url"] = pages.Url("/") }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        var id = submitted.R["id"]!.GetValue<string>();
        var failed = await _client.WaitForStatusAsync(id, "failed", Patience);
        var reason = failed["output"]!.GetValue<string>();

        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, TestKeys.A);
            await page.Locator("#filter-status").SelectOptionAsync("failed");
            var row = page.Locator($"#sessions-list tr[data-id='{id}']");
            await row.WaitForAsync();
            Assert.Contains("failed", await row.GetAttributeAsync("class") ?? "");
            await ConsoleHost.ScreenshotAsync(page, "sessions-failed-filter");

            await row.Locator("a").ClickAsync();
            var error = page.Locator("#session-error [role=alert]");
            await error.WaitForAsync();
            Assert.Equal($"Failed: {reason}", await error.InnerTextAsync());
            await page.Locator("#live").GetByText("no live view").WaitForAsync();
            await ConsoleHost.ScreenshotAsync(page, "session-failed");
        });
    }

    [Fact]
    public async Task Html_in_a_url_an_event_output_a_page_title_and_a_credential_name_renders_as_text_and_never_runs()
    {
        var url = pages.Url("/?q=" + Xss);
        var session = await _client.OpenSessionAsync(url);
        await _client.ActionAsync(session, "xss-out", "browser_action", "evaluate_js", new JsonObject { ["js"] = $"document.title = {JsonValue.Create(Xss).ToJsonString()}; return document.title" });
        await _client.WaitForEventAsync(session, "xss-out", Patience);
        var sessions = fixture.Host.SessionClient();
        var credential = await sessions.SendAsync(HttpMethod.Post, "/api/v1/browser/credentials", new JsonObject
        {
            ["name"] = Xss, ["domains"] = new JsonArray("example.com"), ["username"] = "someone", ["password"] = "a secret",
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, credential.Status);

        // A profile id cannot hold HTML: the Task API refuses it, so it never reaches the console.
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = Xss }.ToJsonString())).Status);

        await fixture.WithConsoleAsync(async page =>
        {
            var dialogs = 0;
            page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
            await ConsoleHost.SignInAsync(page, TestKeys.A);

            var row = page.Locator($"#sessions-list tr[data-id='{session}']");
            await row.WaitForAsync();
            Assert.Equal(0, await row.Locator("img").CountAsync());

            await page.GotoAsync($"{fixture.Host.BaseUrl}/console#/session/{session}");
            var output = page.Locator("#events tr", new() { HasText = "xss-out" });
            await output.WaitForAsync();
            Assert.Contains(Xss, await output.InnerTextAsync());
            Assert.Contains(Xss, await page.Locator("#session-facts").InnerTextAsync());
            var title = page.Locator("#session-facts dd").Nth(6);
            Assert.Equal(Xss, await title.InnerTextAsync());
            await ConsoleHost.ScreenshotAsync(page, "session-xss");

            await page.Locator("#nav a[href='#/credentials']").ClickAsync();
            await page.Locator("#view td", new() { HasText = Xss }).First.WaitForAsync();
            Assert.DoesNotContain("a secret", await page.Locator("#view").InnerTextAsync());
            await ConsoleHost.ScreenshotAsync(page, "credentials");

            Assert.Equal(0, await page.Locator("#view img").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("window.__xss === undefined"), "an onerror from the API ran");
            Assert.Equal(0, dialogs);
        });

        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task A_wrong_key_gets_a_clear_message_and_nothing_is_rendered()
    {
        await fixture.WithConsoleAsync(async page =>
        {
            await page.Locator("#key").FillAsync("sg_" + new string('0', 32));
            await page.Locator("#key").PressAsync("Enter");
            var error = page.Locator("#signin-error");
            await error.WaitForAsync();
            Assert.Equal("This key was refused: it is no API key or admin key of this SessionGrid.", await error.InnerTextAsync());
            Assert.True(await page.Locator("#nav").IsHiddenAsync());
            Assert.True(await page.Locator("#view").IsHiddenAsync());
            Assert.Equal("", await page.Locator("#view").InnerHTMLAsync());
            Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('sessiongrid.console.key')"));
            Assert.Empty(await page.Context.CookiesAsync());
            await ConsoleHost.ScreenshotAsync(page, "signin-refused");
        });
    }

    [Fact]
    public async Task Another_tenants_session_is_not_found_on_the_page_and_in_the_api()
    {
        var theirs = await fixture.Host.Client(TestKeys.B).OpenSessionAsync(pages.Url("/"));
        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, TestKeys.A);
            Assert.Equal(0, await page.Locator($"#sessions-list tr[data-id='{theirs}']").CountAsync());
            await page.GotoAsync($"{fixture.Host.BaseUrl}/console#/session/{theirs}");
            await page.Locator("#view [role=alert]").GetByText($"404: session '{theirs}' was not found").WaitForAsync();
            Assert.Equal(0, await page.Locator("#live-frame").CountAsync());
        });

        var api = await _client.SendAsync(HttpMethod.Get, $"/api/v1/console/sessions/{theirs}", null);
        Assert.Equal(HttpStatusCode.NotFound, api.Status);
        await fixture.Host.Client(TestKeys.B).CancelAsync(theirs);
    }

    [Fact]
    public async Task The_admin_keys_page_issues_a_key_and_revokes_it_and_the_key_then_fails_on_the_api()
    {
        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, AdminClient.Key);
            await page.Locator("#key-name").WaitForAsync();
            Assert.True(await page.Locator("#nav a[href='#/sessions']").IsHiddenAsync(), "an admin key has no tenant pages");
            await page.Locator("#key-name").FillAsync("console-test");
            await page.Locator("#key-name").PressAsync("Enter");
            var shown = page.Locator("#issued-key");
            await shown.WaitForAsync();
            var key = await shown.InnerTextAsync();
            Assert.StartsWith("sg_", key);
            await ConsoleHost.ScreenshotAsync(page, "keys");

            var issued = fixture.Host.Client(key);
            Assert.Equal(HttpStatusCode.OK, (await issued.ListAsync()).Status);

            var list = await new AdminClient(fixture.Host.BaseUrl).ListAsync();
            var id = list.Body!["keys"]!.AsArray().First(k => k!["name"]?.GetValue<string>() == "console-test")!["id"]!.GetValue<string>();
            var revoke = page.Locator($"tr[data-id='{id}'] button");
            await revoke.ClickAsync();
            await revoke.ClickAsync();
            await page.Locator($"tr[data-id='{id}']").GetByText("revoked").WaitForAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, (await issued.ListAsync()).Status);
        });
    }

    [Fact]
    public async Task A_tenant_key_is_refused_on_the_keys_page()
    {
        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, TestKeys.A);
            Assert.True(await page.Locator("#nav a[href='#/keys']").IsHiddenAsync());
            await page.GotoAsync($"{fixture.Host.BaseUrl}/console#/keys");
            await page.Locator("#view [role=alert]").GetByText("403: this is a tenant's API key").WaitForAsync();
            Assert.Equal(0, await page.Locator("#key-name").CountAsync());
        });
    }

    [Fact]
    public async Task The_profiles_files_and_nodes_pages_show_what_the_key_may_read_and_a_profile_can_be_deleted()
    {
        var profile = "console-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = profile }.ToJsonString())).Status);

        var opened = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["url"] = pages.Url("/"), ["profile_id"] = profile, ["profile_read_only"] = true }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        var session = opened.R["id"]!.GetValue<string>();

        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, TestKeys.A);

            // The session page names the profile the session starts from.
            await page.GotoAsync($"{fixture.Host.BaseUrl}/console#/session/{session}");
            await page.Locator("#session-facts").GetByText($"{profile} (read-only)").WaitForAsync();
            await _client.CancelAsync(session);
            await _client.WaitForStatusAsync(session, "cancelled", Patience);

            await page.Locator("#nav a[href='#/profiles']").ClickAsync();
            var row = page.Locator("#view tr", new() { HasText = profile });
            await row.WaitForAsync();
            Assert.Contains("never", await row.InnerTextAsync());
            await ConsoleHost.ScreenshotAsync(page, "profiles");
            await row.Locator("button").ClickAsync();
            await row.Locator("button").GetByText("Really delete?").WaitForAsync();
            await row.Locator("button").ClickAsync();
            await page.Locator("#view tr", new() { HasText = profile }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
            var left = await _client.SendAsync(HttpMethod.Get, "/api/v1/profile", null);
            Assert.DoesNotContain(left.R.AsArray(), p => p!["id"]!.GetValue<string>() == profile);

            await page.Locator("#nav a[href='#/files']").ClickAsync();
            await page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
            await page.Locator("#file-purpose").FillAsync("notes");
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
            var fileId = await page.Locator("#uploaded-id").InnerTextAsync();
            Assert.StartsWith("file_", fileId);
            await ConsoleHost.ScreenshotAsync(page, "files");
            await page.Locator("#delete-file-id").FillAsync(fileId);
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await page.Locator("#view").GetByText("Deleted.").WaitForAsync();
            Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Delete, $"/api/v1/file/{fileId}", null)).Status);

            await page.Locator("#nav a[href='#/nodes']").ClickAsync();
            var node = page.Locator("#view tr", new() { HasText = fixture.Host.NodeName });
            await node.WaitForAsync();
            Assert.Matches(@"\d+ of 1000", await node.InnerTextAsync());
            await ConsoleHost.ScreenshotAsync(page, "nodes");
        });
    }

    [Fact]
    public async Task At_a_phones_width_the_pages_fit_without_sideways_scrolling()
    {
        var session = await _client.OpenSessionAsync(pages.Url("/"));
        await _client.ActionAsync(session, "phone-1", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.title" });
        await _client.WaitForEventAsync(session, "phone-1", Patience);
        await fixture.WithConsoleAsync(async page =>
        {
            await ConsoleHost.SignInAsync(page, TestKeys.A);
            await page.Locator($"#sessions-list tr[data-id='{session}']").WaitForAsync();
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the sessions page scrolls sideways");
            await ConsoleHost.ScreenshotAsync(page, "phone-sessions");

            await page.GotoAsync($"{fixture.Host.BaseUrl}/console#/session/{session}");
            await page.Locator("#events tr", new() { HasText = "phone-1" }).WaitForAsync();
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the session page scrolls sideways");
            await ConsoleHost.ScreenshotAsync(page, "phone-session");
        }, width: 390, height: 844);
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task The_console_page_is_self_contained_and_keeps_the_key_out_of_urls_and_cookies()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Host.BaseUrl) };
        using var response = await http.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("default-src 'none'", policy);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/console/nothing.js")).StatusCode);

        await fixture.WithConsoleAsync(async page =>
        {
            var requests = new List<Microsoft.Playwright.IRequest>();
            page.Request += (_, request) => requests.Add(request);
            await ConsoleHost.SignInAsync(page, TestKeys.A);
            await page.Locator("#sessions-list table, #sessions-list .notice").First.WaitForAsync();
            Assert.NotEmpty(requests);
            Assert.All(requests, r => Assert.StartsWith(fixture.Host.BaseUrl, r.Url));
            Assert.All(requests, r => Assert.DoesNotContain(TestKeys.A, r.Url));
            Assert.Contains(requests, r => r.Url.Contains("/api/v1/console/sessions", StringComparison.Ordinal) && r.Headers.TryGetValue("apikey", out var k) && k == TestKeys.A);
            Assert.Empty(await page.Context.CookiesAsync());
            await ConsoleHost.ScreenshotAsync(page, "signed-in");
        });
    }

    [Fact]
    public async Task The_console_api_lists_every_dialect_filters_pages_and_refuses_bad_input()
    {
        var key = (await new AdminClient(fixture.Host.BaseUrl).IssueAsync("console-list")).Key;
        var client = fixture.Host.Client(key);
        var task = await client.OpenSessionAsync(pages.Url("/"));
        var browser = await fixture.Host.SessionClient(key).OpenAsync();
        await client.CancelAsync(task);
        await client.WaitForStatusAsync(task, "cancelled", Patience);

        var all = await ListAsync(client, "");
        Assert.Equal([browser, task], all["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal(["browser-session", "task"], all["sessions"]!.AsArray().Select(s => s!["dialect"]!.GetValue<string>()));
        Assert.Null(all["next"]);

        Assert.Equal([task], (await ListAsync(client, "?dialect=task"))["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal([task], (await ListAsync(client, "?status=cancelled"))["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal([browser], (await ListAsync(client, "?status=running"))["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));

        var first = await ListAsync(client, "?l=1");
        Assert.Equal(browser, first["sessions"]![0]!["id"]!.GetValue<string>());
        var next = first["next"]!.GetValue<long>();
        var second = await ListAsync(client, $"?l=1&t={next}");
        Assert.Equal(task, second["sessions"]![0]!["id"]!.GetValue<string>());
        Assert.Null(second["next"]);

        var detail = (await client.SendAsync(HttpMethod.Get, $"/api/v1/console/sessions/{browser}", null)).Body!;
        Assert.StartsWith($"/live/{browser}?t=", detail["live_path"]!.GetValue<string>());
        Assert.Equal("running", detail["status"]!.GetValue<string>());

        foreach (var bad in new[] { "?l=0", "?l=101", "?l=x", "?t=-1", "?status=lost", "?dialect=mcp" })
        {
            var refused = await client.SendAsync(HttpMethod.Get, "/api/v1/console/sessions" + bad, null);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.False(string.IsNullOrEmpty(refused.Detail), bad);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(HttpMethod.Get, $"/api/v1/console/sessions/{task}?event_t=x", null)).Status);
        foreach (var path in new[] { "/api/v1/console/sessions", "/api/v1/console/nodes", $"/api/v1/console/sessions/{task}" })
        {
            var anonymous = await new TaskApiClient(new HttpClient { BaseAddress = new Uri(fixture.Host.BaseUrl) }, null).SendAsync(HttpMethod.Get, path, null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        }

        await fixture.Host.SessionClient(key).DeleteAsync(browser);
    }

    private static async Task<JsonNode> ListAsync(TaskApiClient client, string query)
    {
        var response = await client.SendAsync(HttpMethod.Get, "/api/v1/console/sessions" + query, null);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Body!;
    }

    private static Task<IFrame> LiveFrameAsync(IPage page) =>
        Eventually.Until(() => Task.FromResult(page.Frames.FirstOrDefault(f => f.Url.Contains("/live/", StringComparison.Ordinal))), Patience, "the embedded live view");

    /// <summary>The centre of <paramref name="selector"/> on the session's page, in its CSS pixels.</summary>
    private async Task<double[]> RemoteCenterAsync(string session, string selector)
    {
        var json = await EvaluateAsync(session, $"(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); return JSON.stringify([r.left + r.width / 2, r.top + r.height / 2]); }})()");
        return System.Text.Json.JsonSerializer.Deserialize<double[]>(json!)!;
    }

    private async Task<string?> EvaluateAsync(string session, string js)
    {
        var id = "eval-" + Guid.NewGuid().ToString("N")[..8];
        await _client.ActionAsync(session, id, "browser_action", "evaluate_js", new JsonObject { ["js"] = js });
        var result = await _client.WaitForEventAsync(session, id, Patience);
        return result["payload"]!["output"]!["output"]?.GetValue<string>();
    }
}
