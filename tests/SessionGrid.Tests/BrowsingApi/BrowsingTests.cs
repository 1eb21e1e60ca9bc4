using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowsingApi;

/// <summary>The dat.ai Browsing API on one node with no model: the deterministic templates, screenshots, session keys, errors.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class BrowsingTests(SharedHost shared, TestPages pages)
{
    private readonly BrowsingClient _client = shared.Host.BrowsingClient();

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task The_visit_template_opens_the_url_and_returns_its_url_title_and_text()
    {
        var id = await _client.SubmitAsync(new JsonObject { ["task"] = pages.Url("/"), ["template"] = "visit" });
        Assert.Matches("^brw_[0-9a-f]{24}$", id);
        var status = await _client.FinishedAsync(id);
        Assert.Equal("completed", status["status"]!.GetValue<string>());
        Assert.True(status["success"]!.GetValue<bool>());
        Assert.Equal(pages.Url("/"), status["payload"]!["url"]!.GetValue<string>());
        Assert.Equal("SessionGrid test page", status["payload"]!["title"]!.GetValue<string>());
        Assert.Contains("Hello from the test page", status["payload"]!["text"]!.GetValue<string>());
        Assert.Null(status["error"]);
        Assert.Empty(status["screenshots"]!.AsArray());
        Assert.Equal(shared.Host.NodeName, status["node_uid"]!.GetValue<string>());
        Assert.True(status["execution_time_ms"]!.GetValue<long>() > 0);
        Assert.True(DateTimeOffset.Parse(status["completed_at"]!.GetValue<string>()) >= DateTimeOffset.Parse(status["created_at"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_actions_template_runs_the_list_and_returns_every_result_and_a_failure_fails_the_task()
    {
        var actions = new JsonArray(
            new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/widgets") },
            new JsonObject { ["type"] = "click", ["selector"] = "#counter" },
            new JsonObject { ["type"] = "evaluate", ["script"] = "document.getElementById('clicks').textContent" });
        var status = await _client.FinishedAsync(await _client.SubmitAsync(new JsonObject { ["task"] = actions.ToJsonString(), ["template"] = "actions" }));
        Assert.True(status["success"]!.GetValue<bool>(), status.ToJsonString());
        var results = status["payload"]!.AsArray();
        Assert.Equal(["navigate", "click", "evaluate"], results.Select(r => r!["type"]!.GetValue<string>()));
        Assert.Equal("1", results[2]!["value"]!.GetValue<string>());

        var failing = new JsonArray(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/") }, new JsonObject { ["type"] = "click", ["selector"] = "#missing", ["timeoutMs"] = 500 });
        var failed = await _client.FinishedAsync(await _client.SubmitAsync(new JsonObject { ["task"] = failing.ToJsonString(), ["template"] = "actions" }));
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.False(failed["success"]!.GetValue<bool>());
        Assert.Contains("#missing", failed["error"]!.GetValue<string>());
    }

    public static TheoryData<string, string, int> ScreenshotModes => new()
    {
        // navigate (URL changes), click a link (URL changes), evaluate (same URL)
        { "final_only", """{"mode": "final_only"}""", 1 },
        { "every_step", """{"mode": "every_step"}""", 3 },
        { "on_navigation", """{"mode": "on_navigation", "full_page": false}""", 2 },
    };

    [Theory]
    [MemberData(nameof(ScreenshotModes))]
    public async Task Each_screenshot_mode_yields_its_count_of_downloadable_pngs(string mode, string screenshots, int expected)
    {
        var actions = new JsonArray(
            new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/") },
            new JsonObject { ["type"] = "click", ["selector"] = "a" },
            new JsonObject { ["type"] = "evaluate", ["script"] = "1 + 1" });
        var id = await _client.SubmitAsync(new JsonObject { ["task"] = actions.ToJsonString(), ["template"] = "actions", ["screenshots"] = JsonNode.Parse(screenshots) });
        var status = await _client.FinishedAsync(id);
        Assert.True(status["success"]!.GetValue<bool>(), status.ToJsonString());
        var names = status["screenshots"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(1, expected).Select(i => $"screenshot-{i:00}.png"), names);
        foreach (var name in names)
        {
            var png = await _client.SendAsync(HttpMethod.Get, $"/api/v1/browsing/screenshots/{id}/{name}", null);
            Assert.Equal(HttpStatusCode.OK, png.Status);
            Assert.Equal("image/png", png.ContentType);
            Assert.Equal(PngSignature, png.Bytes[..8]);
        }

        var missing = await _client.SendAsync(HttpMethod.Get, $"/api/v1/browsing/screenshots/{id}/screenshot-{expected + 1:00}.png", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("not found", missing.Error);
        Assert.Equal(mode == "final_only" ? 1 : expected, names.Count);
    }

    [Fact]
    public async Task Tasks_with_one_session_key_share_a_browser_session_and_its_cookies()
    {
        var key = "cart-" + Guid.NewGuid().ToString("N");
        var set = new JsonArray(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/") }, new JsonObject { ["type"] = "evaluate", ["script"] = "document.cookie = 'basket=3; path=/'" });
        var read = new JsonArray(new JsonObject { ["type"] = "evaluate", ["script"] = "location.href + ' ' + (location.protocol === 'about:' ? '' : document.cookie)" });
        Assert.True((await _client.FinishedAsync(await _client.SubmitAsync(new JsonObject { ["task"] = set.ToJsonString(), ["template"] = "actions", ["session_key"] = key })))["success"]!.GetValue<bool>());

        var same = await _client.FinishedAsync(await _client.SubmitAsync(new JsonObject { ["task"] = read.ToJsonString(), ["template"] = "actions", ["session_key"] = key }));
        Assert.Equal($"{pages.Url("/")} basket=3", same["payload"]![0]!["value"]!.GetValue<string>());

        var other = await _client.FinishedAsync(await _client.SubmitAsync(new JsonObject { ["task"] = read.ToJsonString(), ["template"] = "actions", ["session_key"] = key + "-other" }));
        Assert.True(other["success"]!.GetValue<bool>(), other.ToJsonString());
        Assert.Equal("about:blank ", other["payload"]![0]!["value"]!.GetValue<string>());

        // Another API key with the same session key gets a session of its own.
        var stranger = await shared.Host.BrowsingClient(TestKeys.B).FinishedAsync(await shared.Host.BrowsingClient(TestKeys.B)
            .SubmitAsync(new JsonObject { ["task"] = read.ToJsonString(), ["template"] = "actions", ["session_key"] = key }));
        Assert.Equal("about:blank ", stranger["payload"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_task_over_its_timeout_fails_with_reason_timeout_and_its_browser_work_stops()
    {
        var slow = new JsonArray(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/slow"), ["timeoutMs"] = 60000 });
        var id = await _client.SubmitAsync(new JsonObject { ["task"] = slow.ToJsonString(), ["template"] = "actions", ["timeout"] = 1500 });
        var status = await _client.FinishedAsync(id, TimeSpan.FromSeconds(20));
        Assert.Equal("failed", status["status"]!.GetValue<string>());
        Assert.StartsWith("timeout", status["error"]!.GetValue<string>());
        Assert.True(status["execution_time_ms"]!.GetValue<long>() < 15_000);
        await Eventually.Until(() => Task.FromResult(shared.Host.Browsers.HostedSessions.Contains($"{id}-0") ? null : "closed"),
            TimeSpan.FromSeconds(10), "the timed-out task's browser context to close");
    }

    [Fact]
    public async Task The_sync_endpoint_answers_with_the_finished_task()
    {
        var response = await _client.SyncAsync(new JsonObject { ["task"] = pages.Url("/second"), ["template"] = "visit" });
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("completed", response.Body!["status"]!.GetValue<string>());
        Assert.Equal("Second page", response.Body["payload"]!["title"]!.GetValue<string>());
        var polled = (await _client.StatusAsync(response.Body["task_id"]!.GetValue<string>())).Body!;
        Assert.Equal(response.Body.ToJsonString(), polled.ToJsonString());
    }

    [Fact]
    public async Task Another_key_s_task_is_403_an_unknown_one_404_and_a_missing_key_401()
    {
        var id = await _client.SubmitAsync(new JsonObject { ["task"] = pages.Url("/"), ["template"] = "visit", ["screenshots"] = new JsonObject { ["mode"] = "final_only" } });
        await _client.FinishedAsync(id);
        var other = shared.Host.BrowsingClient(TestKeys.B);
        var forbidden = await other.StatusAsync(id);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Contains("different API key", forbidden.Error);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.SendAsync(HttpMethod.Get, $"/api/v1/browsing/screenshots/{id}/screenshot-01.png", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, $"/api/v1/browsing/screenshots/{id}/screenshot-01.png", null)).Status);

        var unknown = await _client.StatusAsync("brw_000000000000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("was not found", unknown.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.StatusAsync("../../etc")).Status);

        var anonymous = await shared.Host.BrowsingClient(null).AsyncAsync(new JsonObject { ["task"] = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Contains("API key", anonymous.Error);

        var wrongMethod = await _client.SendAsync(HttpMethod.Get, "/api/v1/browsing/async", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.Status);
        Assert.Contains("not allowed", wrongMethod.Error);

        var noTaskId = await _client.SendAsync(HttpMethod.Get, "/api/v1/browsing/status", null);
        Assert.Equal(HttpStatusCode.BadRequest, noTaskId.Status);
        Assert.Contains("task_id is required", noTaskId.Error);
    }

    [Theory]
    [InlineData("screenshot-01.png/..", HttpStatusCode.NotFound)]
    [InlineData("..%2F..%2Fsessiongrid.db", HttpStatusCode.BadRequest)]
    [InlineData("..%2Fscreenshot-01.png", HttpStatusCode.BadRequest)]
    [InlineData("screenshot-1.png", HttpStatusCode.BadRequest)]
    public async Task Screenshot_names_with_path_tricks_are_refused(string file, HttpStatusCode expected)
    {
        var response = await _client.SendAsync(HttpMethod.Get, $"/api/v1/browsing/screenshots/brw_000000000000000000000000/{file}", null);
        Assert.Equal(expected, response.Status);
        Assert.NotNull(response.Error);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{}""", "task is required" },
        { """{"task": ""}""", "task is required" },
        { """{"task": "x", "screenshots": {}}""", "screenshots.mode is required" },
        { """{"task": "x", "screenshots": {"mode": "sometimes"}}""", "screenshots.mode 'sometimes' is unknown" },
        { """{"task": "x", "fanout": 0}""", "fanout must be between 1 and 10" },
        { """{"task": "x", "fanout": 11}""", "fanout must be between 1 and 10" },
        { """{"task": "x", "timeout": 10800001}""", "timeout must be between 1 and 10800000" },
        { """{"task": "x", "timeout": -1}""", "timeout must be between" },
        { """{"task": "x", "filter": {"node_uid": "a", "country_iso": "DE"}}""", "mutually exclusive" },
        { """{"task": "x", "filter": {"country_iso": "Germany"}}""", "two-letter ISO country code" },
        { """{"task": "https://example.com", "filter": {"node_uid": "no-such-node"}, "template": "visit"}""", "no live node matches the filter (node_uid 'no-such-node')" },
        { """{"task": "https://example.com", "filter": {"country_iso": "ZZ"}, "template": "visit"}""", "no live node matches the filter (country_iso 'ZZ')" },
        { """{"task": "x", "template": "nope"}""", "unknown template 'nope'" },
        { """{"task": "x", "template": "../visit"}""", "template must be a stem" },
        { """{"task": "not json", "template": "actions"}""", "must be a JSON list of actions" },
        { """{"task": "[]", "template": "actions"}""", "1 to 100 actions" },
        { """{"task": "[{\"type\": \"fly\"}]", "template": "actions"}""", "action 0" },
        { """{"task": "not a url", "template": "visit"}""", "absolute http or https URL" },
        { """{"task": "find the price"}""", "no agent model is configured" },
        { """{"task": "x", "session_key": "k", "fanout": 2, "template": "visit"}""", "cannot be combined" },
        { """{"task": 5}""", "task" },
        { """not json""", "JSON" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_with_an_error_and_creates_nothing(string body, string expected)
    {
        var response = await _client.SendAsync(HttpMethod.Post, "/api/v1/browsing/async", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Error);
        Assert.Null(response.Body!["task_id"]);
    }
}
