using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.TaskApi;

/// <summary>Every bad input answers a clear 4xx in the {"detail": …} shape and changes nothing.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class BadInputTests(SharedHost shared, TestPages pages)
{
    private readonly TaskApiClient _client = shared.Host.Client();

    public static TheoryData<string, string> BadSubmissions => new()
    {
        { "{\"task\": null,", "invalid JSON" },
        { "not json at all", "invalid JSON" },
        { "[1, 2]", "JSON object" },
        { "null", "JSON object" },
        { "", "empty" },
        { "{\"task\": null, \"url\": 42}", "url has the wrong type" },
        { "{\"task\": 7}", "task has the wrong type" },
        { "{\"task\": null, \"device\": \"tablet\"}", "device must be one of" },
        { "{\"task\": null, \"max_steps\": 1}", "max_steps" },
        { "{\"task\": null, \"max_steps\": \"ten\"}", "max_steps has the wrong type" },
        { "{\"task\": null, \"url\": \"file:///etc/passwd\"}", "absolute http or https URL" },
        { "{\"task\": null, \"url\": \"chrome://settings\"}", "absolute http or https URL" },
        { "{\"task\": null, \"url\": \"not a url\"}", "absolute http or https URL" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task A_bad_submission_is_a_400_with_a_detail_and_creates_no_task(string body, string expected)
    {
        var before = await CountTasksAsync();
        var response = await _client.SubmitAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Detail);
        Assert.Equal(before, await CountTasksAsync());
    }

    [Fact]
    public async Task An_agent_task_without_a_configured_model_is_a_422_with_a_detail()
    {
        var response = await _client.SubmitAsync("""{"task": "find the top 5 stories", "max_steps": 32}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("no agent model configured", response.Detail);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        var huge = new JsonObject { ["task"] = null, ["padding"] = new string('x', (1 << 20) + 10) }.ToJsonString();
        var response = await _client.SubmitAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Contains("1048576 bytes", response.Detail);

        var taskId = await _client.OpenSessionAsync();
        var bigEvent = await _client.ActionAsync(taskId, "big", "browser_action", "evaluate_js", new JsonObject { ["js"] = "'" + new string('y', 1 << 20) + "'" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigEvent.Status);
        await _client.CancelAsync(taskId);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_accepted()
    {
        var prefix = "{\"task\":null,\"padding\":\"";
        var body = prefix + new string('x', (1 << 20) - prefix.Length - 2) + "\"}";
        Assert.Equal(1 << 20, System.Text.Encoding.UTF8.GetByteCount(body));
        var response = await _client.SubmitAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        await _client.CancelAsync(response.R["id"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { "{\"name\": \"browser_action\", \"payload\": ", "invalid JSON" },
        { "{\"payload\": {\"name\": \"goto\", \"input\": {\"url\": \"https://example.com\"}}}", "name is required" },
        { "{\"name\": 5, \"payload\": {}}", "name has the wrong type" },
        { "{\"name\": \"browser_action\"}", "payload is required" },
        { "{\"name\": \"browser_action\", \"payload\": \"goto\"}", "payload is required" },
        { "{\"name\": \"browser_action\", \"payload\": {\"input\": {}}}", "payload.name is required" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"goto\", \"input\": 3}}", "payload.input must be a JSON object" },
        { "{\"name\": \"teleport\", \"payload\": {\"name\": \"goto\"}}", "unknown event name 'teleport'" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"navigate\", \"input\": {\"url\": \"https://example.com\"}}}", "unknown browser_action 'navigate'" },
        { "{\"name\": \"session_action\", \"payload\": {\"name\": \"explode\"}}", "unknown session_action 'explode'" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"goto\", \"input\": {}}}", "goto: url is required" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"goto\"}}", "goto: url is required" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"goto\", \"input\": {\"url\": 12}}}", "goto: url must be a string" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"goto\", \"input\": {\"url\": \"relative/path\"}}}", "absolute URL" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"evaluate_js\", \"input\": {}}}", "evaluate_js: the script is required" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"evaluate_js\", \"input\": {\"js\": null, \"args\": null}}}", "evaluate_js: the script is required" },
        { "{\"name\": \"browser_action\", \"payload\": {\"name\": \"exec_js\", \"input\": {\"js\": \"\"}}}", "exec_js: the script must not be empty" },
        { "{\"name\": \"tool_call\", \"id\": \"tc_1\", \"payload\": {\"code\": 200, \"output\": 1}}", "no tool call with id 'tc_1'" },
        { "{\"name\": \"browser_action\", \"id\": 17, \"payload\": {\"name\": \"goto\"}}", "id has the wrong type" },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task A_bad_event_is_a_400_with_a_detail_and_changes_nothing(string body, string expected)
    {
        var taskId = await _client.OpenSessionAsync();
        var response = await _client.EventAsync(taskId, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Detail);

        var task = await _client.GetAsync(taskId);
        Assert.Equal("running", task.R["status"]!.GetValue<string>());
        Assert.Empty(task.R["events"]!.AsArray());
        await _client.CancelAsync(taskId);
    }

    [Theory]
    [InlineData("browser_action", "extract")]
    [InlineData("session_action", "run_task")]
    public async Task Agent_actions_without_a_configured_model_are_a_422(string channel, string action)
    {
        var taskId = await _client.OpenSessionAsync();
        var response = await _client.ActionAsync(taskId, "agent", channel, action, new JsonObject { ["task"] = "x", ["schema"] = new JsonObject() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Contains("no agent model configured", response.Detail);
        await _client.CancelAsync(taskId);
    }

    [Fact]
    public async Task An_id_over_256_characters_is_a_400()
    {
        var taskId = await _client.OpenSessionAsync();
        var response = await _client.ActionAsync(taskId, new string('i', 257), "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("at most 256", response.Detail);
        var accepted = await _client.ActionAsync(taskId, new string('i', 256), "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        await _client.CancelAsync(taskId);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file: scheme is not allowed")]
    [InlineData("chrome://settings", "chrome: scheme is not allowed")]
    [InlineData("javascript:alert(1)", "javascript: scheme is not allowed")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 are not allowed")]
    public async Task A_goto_to_a_refused_url_is_a_400_result_event_and_the_page_stays(string url, string expected)
    {
        var taskId = await _client.OpenSessionAsync(pages.Url("/"));
        var sent = await _client.ActionAsync(taskId, "bad-goto", "browser_action", "goto", new JsonObject { ["url"] = url });
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var result = await _client.WaitForEventAsync(taskId, "bad-goto");
        Assert.Equal(400, result["payload"]!["code"]!.GetValue<int>());
        Assert.Contains(expected, result["payload"]!["output"]!.GetValue<string>());

        await _client.ActionAsync(taskId, "where", "browser_action", "evaluate_js", new JsonObject { ["js"] = "location.href" });
        var where = await _client.WaitForEventAsync(taskId, "where");
        Assert.Equal(pages.Url("/"), where["payload"]!["output"]!["output"]!.GetValue<string>());
        await _client.CancelAsync(taskId);
    }

    [Fact]
    public async Task A_page_cannot_reach_the_metadata_address_either()
    {
        var taskId = await _client.OpenSessionAsync(pages.Url("/"));
        await _client.ActionAsync(taskId, "fetch", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "return await fetch('http://169.254.169.254/latest/').then(() => 'reached', e => 'blocked: ' + e.message)" });
        var result = await _client.WaitForEventAsync(taskId, "fetch");
        Assert.StartsWith("blocked", result["payload"]!["output"]!["output"]!.GetValue<string>());
        await _client.CancelAsync(taskId);
    }

    [Fact]
    public async Task Events_to_an_unknown_task_are_404_and_to_a_closed_session_are_400()
    {
        var unknown = await _client.ActionAsync("task_doesnotexist", "e", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("not found", unknown.Detail);

        var taskId = await _client.OpenSessionAsync();
        await _client.ActionAsync(taskId, "close", "session_action", "close", null);
        await _client.WaitForStatusAsync(taskId, "done");
        var closed = await _client.ActionAsync(taskId, "late", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, closed.Status);
        Assert.Contains("session is closed", closed.Detail);
        var events = (await _client.GetAsync(taskId)).R["events"]!.AsArray();
        Assert.DoesNotContain(events, e => e!["id"]?.GetValue<string>() == "late");
    }

    [Theory]
    [InlineData("?l=0")]
    [InlineData("?l=129")]
    [InlineData("?l=-5")]
    [InlineData("?l=ten")]
    [InlineData("?t=yesterday")]
    public async Task A_list_query_out_of_range_is_a_400(string query)
    {
        var response = await _client.ListAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.NotNull(response.Detail);
    }

    [Theory]
    [InlineData("?event_t=soon")]
    [InlineData("?downloads=maybe")]
    public async Task A_bad_get_query_is_a_400(string query)
    {
        var taskId = await _client.OpenSessionAsync();
        var response = await _client.SendAsync(HttpMethod.Get, $"/api/v1/task/{taskId}{query}", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.NotNull(response.Detail);
        await _client.CancelAsync(taskId);
    }

    [Fact]
    public async Task Unknown_and_overlong_task_ids_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("task_nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.CancelAsync("task_nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(new string('a', 500))).Status);
    }

    private async Task<int> CountTasksAsync() => (await _client.ListAsync("?l=128")).R.AsArray().Count;
}
