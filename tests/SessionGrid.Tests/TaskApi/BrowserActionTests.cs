using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.TaskApi;

/// <summary>The whole action vocabulary as Task API browser_action events: the same actions the Browser Session API runs.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class BrowserActionTests(SharedHost shared, TestPages pages)
{
    private readonly TaskApiClient _client = shared.Host.Client();

    [Fact]
    public async Task Every_action_runs_as_a_browser_action_event_with_its_output_nested_in_the_result()
    {
        var session = await _client.OpenSessionAsync(pages.Url("/widgets"));
        var steps = new (string Id, string Action, JsonObject Input)[]
        {
            ("click", "click", new JsonObject { ["selector"] = "#counter" }),
            ("type", "type", new JsonObject { ["selector"] = "#name", ["text"] = "hello" }),
            ("press", "press", new JsonObject { ["selector"] = "#keys", ["key"] = "Tab" }),
            ("select", "select", new JsonObject { ["selector"] = "#color", ["text"] = "Blue" }),
            ("hover", "hover", new JsonObject { ["selector"] = "#hover-target" }),
            ("wait", "wait", new JsonObject { ["text"] = "arrived late", ["timeout_ms"] = 5000 }),
            ("scroll", "scroll", new JsonObject { ["selector"] = "#far" }),
            ("shot", "screenshot", new JsonObject { ["full_page"] = true }),
            ("pdf", "pdf", new JsonObject { ["format"] = "A4" }),
            ("state", "evaluate_js", new JsonObject
            {
                ["js"] = "({ clicks: document.getElementById('clicks').textContent, name: document.getElementById('name').value, color: document.getElementById('color').value, hovered: document.getElementById('hover-target').textContent, key: window.lastKey })",
                ["args"] = null,
            }),
            ("content", "content", new JsonObject()),
        };
        foreach (var (id, action, input) in steps)
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.ActionAsync(session, id, "browser_action", action, input)).Status);
        }

        JsonNode Output(JsonNode result)
        {
            Assert.True(result["payload"]!["code"]!.GetValue<int>() == 200, result.ToJsonString());
            return result["payload"]!["output"]!["output"]!;
        }

        var results = new Dictionary<string, JsonNode>();
        foreach (var (id, _, _) in steps)
        {
            results[id] = await _client.WaitForEventAsync(session, id);
        }

        Assert.Null(results["click"]["payload"]!["output"]!["output"]);
        Assert.Equal(200, results["click"]["payload"]!["code"]!.GetValue<int>());
        Assert.Equal(5, Output(results["type"])["charactersTyped"]!.GetValue<int>());
        Assert.Equal("""["b"]""", Output(results["select"])["selected"]!.ToJsonString());
        Assert.True(Output(results["scroll"])["scrollY"]!.GetValue<double>() > 2000);
        Assert.Equal("PNG", Encoding.ASCII.GetString(Convert.FromBase64String(Output(results["shot"])["screenshot"]!.GetValue<string>()), 1, 3));
        Assert.Equal("%PDF", Encoding.ASCII.GetString(Convert.FromBase64String(Output(results["pdf"])["pdf"]!.GetValue<string>())[..4]));
        Assert.Equal("""{"clicks":"1","name":"hello","color":"b","hovered":"hovered","key":"Tab"}""", Output(results["state"]).ToJsonString());
        Assert.Contains("id=\"hover-target\"", Output(results["content"])["html"]!.GetValue<string>());
        Assert.Equal(pages.Url("/widgets"), Output(results["content"])["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_action_is_a_400_result_event_with_the_reason()
    {
        var session = await _client.OpenSessionAsync(pages.Url("/widgets"));
        await _client.ActionAsync(session, "missing", "browser_action", "click", new JsonObject { ["selector"] = "#missing", ["timeoutMs"] = 300 });
        await _client.ActionAsync(session, "throws", "browser_action", "evaluate_js", new JsonObject { ["js"] = "throw new Error('page said no')" });
        var missing = await _client.WaitForEventAsync(session, "missing");
        Assert.Equal(400, missing["payload"]!["code"]!.GetValue<int>());
        Assert.Contains("#missing", missing["payload"]!["output"]!.GetValue<string>());
        var throws = await _client.WaitForEventAsync(session, "throws");
        Assert.Equal(400, throws["payload"]!["code"]!.GetValue<int>());
        Assert.Contains("page said no", throws["payload"]!["output"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("click", """{}""", "click needs selector or coordinates")]
    [InlineData("type", """{"selector": "#name"}""", "type: text is required")]
    [InlineData("wait", """{"selector": "#a", "timeoutMs": 0}""", "timeoutMs must be between 1 and 120000")]
    [InlineData("uploadFile", """{"selector": "#file", "filename": "never.txt"}""", "no file named 'never.txt'")]
    [InlineData("click", """{"coordinates": {"x": 5000, "y": 1}}""", "outside the 1280x800 viewport")]
    public async Task An_action_that_cannot_run_is_refused_with_a_400_detail_before_it_is_queued(string action, string input, string expected)
    {
        var session = await _client.OpenSessionAsync();
        var response = await _client.ActionAsync(session, "bad", "browser_action", action, JsonNode.Parse(input)!.AsObject());
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Detail);
        var task = await _client.GetAsync(session);
        Assert.DoesNotContain(task.R["events"]!.AsArray(), e => e!["id"]?.GetValue<string>() == "bad");
    }
}
