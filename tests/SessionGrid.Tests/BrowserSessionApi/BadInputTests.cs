using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserSessionApi;

/// <summary>Every bad Browser Session API input answers a clear 4xx as problem details, changes nothing, and never a 5xx.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class BadInputTests(SharedHost shared, TestPages pages)
{
    private readonly BrowserSessionClient _client = shared.Host.SessionClient();

    public static TheoryData<string, string> BadTasks => new()
    {
        // Every action type with each required field missing.
        { """{"actions": [{"type": "navigate"}]}""", "navigate: url is required" },
        { """{"actions": [{"type": "click"}]}""", "click needs selector or coordinates" },
        { """{"actions": [{"type": "type", "text": "x"}]}""", "type: selector is required" },
        { """{"actions": [{"type": "type", "selector": "#name"}]}""", "type: text is required" },
        { """{"actions": [{"type": "press"}]}""", "press: key is required" },
        { """{"actions": [{"type": "press", "key": ""}]}""", "press: key must not be empty" },
        { """{"actions": [{"type": "scroll"}]}""", "scroll takes exactly one of selector, coordinates or text" },
        { """{"actions": [{"type": "wait"}]}""", "wait needs selector or text" },
        { """{"actions": [{"type": "evaluate"}]}""", "evaluate: the script is required" },
        { """{"actions": [{"type": "uploadFile", "filename": "a.txt"}]}""", "uploadFile: selector is required" },
        { """{"actions": [{"type": "uploadFile", "selector": "#file"}]}""", "uploadFile: filename is required" },
        { """{"actions": [{"type": "select", "text": "Red"}]}""", "select: selector is required" },
        { """{"actions": [{"type": "select", "selector": "#color"}]}""", "select: text is required" },
        { """{"actions": [{"type": "hover"}]}""", "hover: selector is required" },
        { """{"actions": [{"type": "hover", "selector": ""}]}""", "hover: selector must not be empty" },
        // Unknown or missing types.
        { """{"actions": [{"type": "teleport"}]}""", "unknown action type 'teleport'" },
        { """{"actions": [{"selector": "#a"}]}""", "type is required" },
        { """{"actions": [3]}""", "an action must be a JSON object" },
        { """{"actions": [{"type": "authenticate", "mode": "vault"}]}""", "authenticate: credentialId is required when mode is vault" },
        // Wrong field types.
        { """{"actions": [{"type": "click", "selector": 5}]}""", "click: selector must be a string" },
        { """{"actions": [{"type": "click", "coordinates": "10,10"}]}""", "click: coordinates must be an object" },
        { """{"actions": [{"type": "click", "coordinates": {"x": "a", "y": 1}}]}""", "click: x must be a number" },
        { """{"actions": [{"type": "click", "coordinates": {"x": 1}}]}""", "coordinates.y is required" },
        { """{"actions": [{"type": "type", "selector": "#name", "text": 5}]}""", "type: text must be a string" },
        { """{"actions": [{"type": "screenshot", "fullPage": "yes"}]}""", "screenshot: fullPage must be true or false" },
        { """{"actions": [{"type": "wait", "selector": "#a", "timeoutMs": "fast"}]}""", "wait: timeoutMs must be an integer" },
        { """{"actions": [{"type": "wait", "selector": "#a", "timeoutMs": 1.5}]}""", "wait: timeoutMs is out of range" },
        { """{"actions": [{"type": "wait", "selector": "#a", "timeoutMs": 1e12}]}""", "wait: timeoutMs is out of range" },
        { """{"actions": [{"type": "pdf", "margin": {"top": true}}]}""", "margin.top must be a length" },
        { """{"actions": "click"}""", "actions has the wrong type" },
        { """{"content": "yes"}""", "content has the wrong type" },
        { """{"url": 5}""", "url has the wrong type" },
        { """{"screenshot": 5}""", "screenshot must be an object" },
        { """{"screenshot": {"fullPage": 1}}""", "fullPage must be true or false" },
        // Conflicting fields.
        { """{"actions": [{"type": "click", "selector": "#a", "coordinates": {"x": 1, "y": 1}}]}""", "click takes selector or coordinates, not both" },
        { """{"actions": [{"type": "scroll", "selector": "#a", "text": "b"}]}""", "scroll takes exactly one" },
        { """{"actions": [{"type": "wait", "selector": "#a", "text": "b"}]}""", "wait takes selector or text, not both" },
        { """{"actions": [{"type": "scroll", "coordinates": {"x": 0, "y": -5}}]}""", "must not be negative" },
        // waitUntil.
        { """{"url": "https://example.com", "waitUntil": "soon"}""", "waitUntil must be one of domcontentloaded, load, networkidle" },
        { """{"actions": [{"type": "navigate", "url": "https://example.com", "waitUntil": "eventually"}]}""", "waitUntil must be one of" },
        { """{"waitUntil": "load"}""", "give url too" },
        { """{"url": "not a url"}""", "url must be an absolute URL" },
        // Malformed bodies.
        { "{\"actions\": [", "invalid JSON" },
        { "[]", "JSON object" },
        { "", "empty" },
    };

    [Theory]
    [MemberData(nameof(BadTasks))]
    public async Task A_bad_task_is_a_400_problem_and_runs_nothing(string body, string expected)
    {
        var session = await SessionOnWidgetsAsync();
        var response = await _client.TaskAsync(session, body);
        AssertProblem(response, HttpStatusCode.BadRequest, expected);
        await AssertUntouchedAsync(session);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(120_001)]
    public async Task A_timeout_outside_1_to_the_maximum_is_refused_before_anything_runs(int timeoutMs)
    {
        var session = await SessionOnWidgetsAsync();
        var response = await _client.TaskAsync(session, new JsonObject
        {
            ["actions"] = new JsonArray(
                new JsonObject { ["type"] = "click", ["selector"] = "#counter" },
                new JsonObject { ["type"] = "wait", ["selector"] = "#counter", ["timeoutMs"] = timeoutMs }),
        });
        var problem = AssertProblem(response, HttpStatusCode.BadRequest, "timeoutMs must be between 1 and 120000");
        Assert.Equal(1, problem["actionIndex"]!.GetValue<int>());
        Assert.Equal("wait", problem["actionType"]!.GetValue<string>());
        await AssertUntouchedAsync(session);
    }

    [Fact]
    public async Task The_largest_timeout_and_the_most_actions_are_accepted_and_one_more_action_is_not()
    {
        var session = await SessionOnWidgetsAsync();
        var edge = await _client.TaskAsync(session, """{"actions": [{"type": "wait", "selector": "#counter", "timeoutMs": 120000}]}""");
        Assert.Equal(HttpStatusCode.Created, edge.Status);

        JsonArray Evaluations(int count) => new([.. Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["type"] = "evaluate", ["script"] = "1" })]);
        var most = await _client.TaskAsync(session, new JsonObject { ["actions"] = Evaluations(100) });
        Assert.Equal(HttpStatusCode.Created, most.Status);
        Assert.Equal(100, most.Json["actionResults"]!.AsArray().Count);
        AssertProblem(await _client.TaskAsync(session, new JsonObject { ["actions"] = Evaluations(101) }), HttpStatusCode.BadRequest, "at most 100 actions");
    }

    [Fact]
    public async Task An_invalid_selector_is_a_400_naming_the_action()
    {
        var session = await SessionOnWidgetsAsync();
        var response = await _client.TaskAsync(session, """{"actions": [{"type": "click", "selector": "##bad(("}]}""");
        var problem = AssertProblem(response, HttpStatusCode.BadRequest, "invalid selector");
        Assert.Equal(0, problem["actionIndex"]!.GetValue<int>());
    }

    public static TheoryData<string, string> BadSessions => new()
    {
        { """{"viewport": {"width": 99, "height": 600}}""", "viewport must be from 100x100 to 7680x4320" },
        { """{"viewport": {"width": 7681, "height": 600}}""", "viewport must be from" },
        { """{"viewport": {"width": 800, "height": 4321}}""", "viewport must be from" },
        { """{"viewport": {"width": 800}}""", "viewport needs width and height" },
        { """{"viewport": "big"}""", "viewport has the wrong type" },
        { """{"userAgent": ""}""", "userAgent must be 1 to 1024 printable characters" },
        { $$"""{"userAgent": "{{new string('a', 1025)}}"}""", "userAgent must be 1 to 1024" },
        { """{"locale": "english!"}""", "locale must be a BCP 47 language tag" },
        { """{"timezoneId": "Mars/Olympus_Mons"}""", "timezoneId must be an IANA time zone" },
        { """{"timezoneId": "../../etc/passwd"}""", "timezoneId must be an IANA time zone" },
        { """{"device": "tablet"}""", "device must be one of desktop, mobile, desktop-lg" },
        { "[]", "JSON object" },
        { "{\"device\":", "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadSessions))]
    public async Task A_bad_session_request_is_a_400_problem_and_opens_nothing(string body, string expected)
    {
        var before = (await _client.ListAsync("?limit=100")).Json["sessions"]!.AsArray().Count;
        AssertProblem(await _client.CreateAsync(body), HttpStatusCode.BadRequest, expected);
        Assert.Equal(before, (await _client.ListAsync("?limit=100")).Json["sessions"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_viewport_edges_are_accepted()
    {
        foreach (var (width, height) in new[] { (100, 100), (7680, 4320) })
        {
            var id = await _client.OpenAsync(new JsonObject { ["viewport"] = new JsonObject { ["width"] = width, ["height"] = height } });
            var size = await _client.TaskAsync(id, """{"actions": [{"type": "evaluate", "script": "[innerWidth, innerHeight]"}]}""");
            Assert.Equal($"[{width},{height}]", size.Json["actionResults"]![0]!["value"]!.ToJsonString());
            await _client.DeleteAsync(id);
        }
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?limit=ten")]
    public async Task A_bad_list_limit_is_a_400(string query) =>
        AssertProblem(await _client.ListAsync(query), HttpStatusCode.BadRequest, "limit must be an integer from 1 to 100");

    [Fact]
    public async Task Bad_uploads_are_refused_clearly()
    {
        var session = await _client.OpenAsync();
        var notMultipart = await _client.SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{session}/files", "{}");
        AssertProblem(notMultipart, HttpStatusCode.UnsupportedMediaType, "multipart/form-data");

        var noFile = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        AssertProblem(await _client.SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{session}/files", noFile), HttpStatusCode.BadRequest, "no file");

        AssertProblem(await _client.UploadAsync(session, "..", [1]), HttpStatusCode.BadRequest, "not file names");
        var renamed = new MultipartFormDataContent { { new ByteArrayContent([1, 2]), "file", "a.bin" }, { new StringContent("dir/evil.txt"), "filename" } };
        AssertProblem(await _client.SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{session}/files", renamed), HttpStatusCode.BadRequest, "must not contain '/'");
    }

    [Fact]
    public async Task Every_route_answers_a_problem_for_a_malformed_session_id()
    {
        foreach (var path in new[] { "tasks", "pdf" })
        {
            var response = await _client.SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{new string('x', 5000)}/{path}", "{}");
            AssertProblem(response, HttpStatusCode.NotFound, "was not found");
        }
    }

    private async Task<string> SessionOnWidgetsAsync()
    {
        var session = await _client.OpenAsync();
        var opened = await _client.TaskAsync(session, new JsonObject { ["url"] = pages.Url("/widgets") });
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        return session;
    }

    /// <summary>The session is still on the widgets page and its counter was never clicked.</summary>
    private async Task AssertUntouchedAsync(string session)
    {
        var check = await _client.TaskAsync(session, """{"actions": [{"type": "evaluate", "script": "[location.pathname, document.getElementById('clicks').textContent]"}]}""");
        Assert.Equal(HttpStatusCode.Created, check.Status);
        Assert.Equal("""["/widgets","0"]""", check.Json["actionResults"]![0]!["value"]!.ToJsonString());
    }

    private static JsonNode AssertProblem(BrowserSessionClient.Response response, HttpStatusCode status, string detailPart)
    {
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Body?.ToJsonString() ?? Encoding.UTF8.GetString(response.Bytes)}");
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal((int)status, response.Json["status"]!.GetValue<int>());
        Assert.Contains(detailPart, response.Detail);
        return response.Json;
    }
}
