using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// The URL policy in a real Chromium: navigations to refused URLs answer a clear 400; a page's own requests to a denied
/// (or, with an allow list, an unlisted) host never reach it, whatever kind they are (image, script, stylesheet, iframe,
/// fetch, WebSocket, a redirect, a link), while the same page aimed at an allowed origin reaches every probe; a page
/// cannot send itself to file:, chrome: or view-source:; and a goto redirected outside a task's allowed_urls is undone.
/// </summary>
public sealed class UrlPolicyBrowserTests(TestPages pages)
{
    private int Port => new Uri(pages.BaseUrl).Port;

    [Fact]
    public async Task A_denied_host_is_refused_for_navigations_and_never_reached_by_a_pages_requests()
    {
        await WithHostAsync(new() { ["SessionGrid:UrlPolicy:DenyHosts:0"] = "denied.localhost" }, async host =>
        {
            var client = host.SessionClient();
            var session = await client.OpenAsync();
            var reached = await LoadPolicyPageAsync(client, session, pages.BaseUrl);
            Assert.Equal("reached", reached.Fetched);
            foreach (var kind in PolicyPages.Kinds.Append("link").Append("redirect-link"))
            {
                await Eventually.Until(() => Task.FromResult(pages.ProbeHits.ContainsKey($"{reached.Id}-{kind}") ? "" : null),
                    TimeSpan.FromSeconds(20), $"the {kind} probe of the allowed origin");
            }

            var denied = await LoadPolicyPageAsync(client, session, $"http://denied.localhost:{Port}");
            Assert.Equal("blocked", denied.Fetched);
            AssertNeverReached(denied.Id);

            foreach (var (url, reason) in new[]
            {
                ("file:///etc/passwd", "the file: scheme is not allowed"),
                ("chrome://version", "the chrome: scheme is not allowed"),
                ($"view-source:{pages.Url("/")}", "the view-source: scheme is not allowed"),
                ("http://169.254.3.4/latest/", "requests to 169.254.3.4 are not allowed"),
                ("http://[fd00:ec2::254]/latest/", "requests to [fd00:ec2::254] are not allowed"),
                ($"http://denied.localhost:{Port}/policy/probe/{denied.Id}-goto", "requests to denied.localhost are not allowed"),
            })
            {
                var refused = await client.TaskAsync(session, new JsonObject { ["url"] = url });
                Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
                Assert.Contains("url_refused: " + reason, refused.Detail);
            }

            AssertNeverReached(denied.Id);
        });
    }

    [Fact]
    public async Task With_an_allow_list_only_its_hosts_are_opened_or_reached()
    {
        await WithHostAsync(new() { ["SessionGrid:UrlPolicy:AllowHosts:0"] = "127.0.0.1" }, async host =>
        {
            var client = host.SessionClient();
            var session = await client.OpenAsync();
            var refused = await client.TaskAsync(session, new JsonObject { ["url"] = $"http://localhost:{Port}/" });
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains("url_refused: localhost is not one of the hosts this SessionGrid may open (SessionGrid:UrlPolicy:AllowHosts)", refused.Detail);

            var elsewhere = await LoadPolicyPageAsync(client, session, $"http://elsewhere.localhost:{Port}");
            Assert.Equal("blocked", elsewhere.Fetched);
            AssertNeverReached(elsewhere.Id);
        });
    }

    [Fact]
    public async Task A_page_cannot_send_itself_to_file_chrome_or_view_source_urls()
    {
        await WithHostAsync([], async host =>
        {
            var client = host.SessionClient();
            var session = await client.OpenAsync();
            foreach (var target in new[] { "file:///etc/passwd", "chrome://version", "view-source:" + pages.Url("/second") })
            {
                var script = $"location.href = '{target}'; await new Promise(r => setTimeout(r, 300)); return location.href";
                var stayed = await client.TaskAsync(session, new JsonObject
                {
                    ["url"] = pages.Url("/"),
                    ["actions"] = new JsonArray(new JsonObject { ["type"] = "evaluate", ["script"] = script }),
                });
                Assert.True(stayed.Status == HttpStatusCode.Created, stayed.Body?.ToJsonString());
                Assert.Equal(pages.Url("/"), stayed.Json["actionResults"]![0]!["value"]!.GetValue<string>());
            }
        });
    }

    [Fact]
    public async Task A_tasks_allowed_urls_refuse_a_goto_that_redirects_outside_them()
    {
        await WithHostAsync([], async host =>
        {
            var client = host.Client();
            var opened = await client.SubmitAsync(new JsonObject
            {
                ["task"] = null,
                ["allowed_urls"] = new JsonArray($"http://127.0.0.1:{Port}/policy/**"),
            }.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, opened.Status);
            var id = opened.R["id"]!.GetValue<string>();

            var outside = pages.Url("/second");
            var direct = await GotoAsync(client, id, "direct", outside);
            Assert.Contains("url_not_allowed", direct);
            var redirected = await GotoAsync(client, id, "redirected", pages.Url($"/policy/redirect?to={WebUtility.UrlEncode(outside)}"));
            Assert.Contains($"redirected to {outside}, outside this task's allowed_urls", redirected);

            await client.ActionAsync(id, "where", "browser_action", "evaluate_js", new JsonObject { ["js"] = "location.href" });
            Assert.Equal("about:blank", (await client.WaitForEventAsync(id, "where"))["payload"]!["output"]!["output"]!.GetValue<string>());
            await client.CancelAsync(id);
        });
    }

    /// <summary>Sends a goto that must fail with a 400 result; returns the result's message.</summary>
    private static async Task<string> GotoAsync(TaskApiClient client, string id, string eventId, string url)
    {
        await client.ActionAsync(id, eventId, "browser_action", "goto", new JsonObject { ["url"] = url });
        var result = await client.WaitForEventAsync(id, eventId);
        Assert.Equal(400, result["payload"]!["code"]!.GetValue<int>());
        return result["payload"]!["output"]!.GetValue<string>();
    }

    /// <summary>
    /// Opens the policy page aimed at <paramref name="origin"/>, waits for its fetch and WebSocket to settle (the
    /// navigation already waited for the image, script, stylesheet, iframe and redirected image), then follows its
    /// link and its redirecting link (a click waits for the navigation it starts).
    /// </summary>
    private async Task<(string Id, string Fetched)> LoadPolicyPageAsync(BrowserSessionClient client, string session, string origin)
    {
        var id = Guid.NewGuid().ToString("N");
        var page = pages.Url($"/policy/page?origin={WebUtility.UrlEncode(origin)}&id={id}");
        var loaded = await client.TaskAsync(session, new JsonObject
        {
            ["url"] = page,
            ["actions"] = new JsonArray(
                new JsonObject { ["type"] = "evaluate", ["script"] = "window.fetched" },
                new JsonObject { ["type"] = "evaluate", ["script"] = "window.socketDone" },
                new JsonObject { ["type"] = "click", ["selector"] = "#link" }),
        });
        Assert.True(loaded.Status == HttpStatusCode.Created, loaded.Body?.ToJsonString());
        var redirected = await client.TaskAsync(session, new JsonObject
        {
            ["url"] = page,
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "click", ["selector"] = "#redirect-link" }),
        });
        Assert.True(redirected.Status == HttpStatusCode.Created, redirected.Body?.ToJsonString());
        return (id, loaded.Json["actionResults"]![0]!["value"]!.GetValue<string>());
    }

    private void AssertNeverReached(string id) =>
        Assert.DoesNotContain(pages.ProbeHits.Keys, key => key.StartsWith(id, StringComparison.Ordinal));

    private static async Task WithHostAsync(Dictionary<string, string> settings, Func<SessionGridHost, Task> test)
    {
        var host = await SessionGridHost.StartAsync(settings: settings);
        try
        {
            await test(host);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(host.DataDir, recursive: true);
        }
    }
}
