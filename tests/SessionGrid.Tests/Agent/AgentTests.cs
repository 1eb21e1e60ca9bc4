using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.Agent;

/// <summary>A host whose agent talks to a scripted OpenAI-compatible model on loopback.</summary>
public sealed class AgentHost : IAsyncLifetime
{
    /// <summary>The model name <c>agent: "smooth-lite"</c> runs on in this host (<c>SessionGrid:Agent:LiteModel</c>).</summary>
    public const string LiteModel = "scripted-lite-model";

    public ScriptedModel Model { get; private set; } = null!;
    public SessionGridHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Model = await ScriptedModel.StartAsync();
        var settings = Model.Settings();
        settings["SessionGrid:Agent:ToolCallTimeoutSeconds"] = "3";
        settings["SessionGrid:Agent:LiteModel"] = LiteModel;
        Host = await SessionGridHost.StartAsync(settings: settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Model.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

/// <summary>Agent tasks end to end: the real IChatClient against scripted model turns, real Chromium on the test site.</summary>
public sealed class AgentTests(AgentHost fixture, TestPages pages) : IClassFixture<AgentHost>
{
    private readonly TaskApiClient _client = fixture.Host.Client();
    private ScriptedModel Model => fixture.Model;

    private static readonly JsonObject WhoSchema = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["who"] = new JsonObject { ["type"] = "string" } },
        ["required"] = new JsonArray("who"),
    };

    [Fact]
    public async Task A_one_shot_task_navigates_clicks_types_and_returns_schema_valid_output()
    {
        Model.Reset();
        Model.Play(
            OnElement("click", "Log in"),
            OnElement("type", "email", new JsonObject { ["text"] = "alice@example.test" }),
            OnElement("type", "password", new JsonObject { ["text"] = "hunter2", ["submit"] = true }),
            request => ToolCallOf("done", new JsonObject { ["output"] = new JsonObject { ["who"] = Between(Last(request, "user"), "Signed in as ", "\n") } }));

        var submitted = await _client.SubmitAsync(new JsonObject
        {
            ["task"] = "Log in as alice and tell me who is signed in",
            ["url"] = pages.Url("/site/"),
            ["response_model"] = WhoSchema.DeepClone(),
            ["metadata"] = new JsonObject { ["account"] = "alice" },
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        var id = submitted.R["id"]!.GetValue<string>();

        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Assert.Equal("""{"who":"alice@example.test"}""", done["output"]!.ToJsonString());
        Assert.Equal(4, done["credits_used"]!.GetValue<int>());
        var steps = done["events"]!.AsArray().Where(e => e!["name"]!.GetValue<string>() == "agent_step").ToList();
        Assert.Equal(["click", "type", "type", "done"], steps.Select(s => s!["payload"]!["tool"]!.GetValue<string>()));
        Assert.All(steps, s => Assert.True(s!["payload"]!["ok"]!.GetValue<bool>()));
        Assert.Equal(pages.Url("/login"), steps[^1]!["payload"]!["url"]!.GetValue<string>());
        Assert.Equal("session_closed", done["events"]!.AsArray()[^1]!["name"]!.GetValue<string>());

        // The model saw the task, its variables, the page and a done tool shaped by the response model.
        var first = Model.Requests.First();
        Assert.Contains("Log in as alice", first.ToJsonString());
        Assert.Contains("Variables for this task: {\"account\":\"alice\"}", first["messages"]![1]!["content"]!.ToJsonString() is var taskMessage ? System.Text.Json.JsonSerializer.Deserialize<string>(taskMessage) : "");
        Assert.Contains("Log in", Last(first, "user"));
        var doneTool = first["tools"]!.AsArray().Single(t => t!["function"]!["name"]!.GetValue<string>() == "done");
        Assert.Equal(WhoSchema.ToJsonString(), doneTool!["function"]!["parameters"]!["properties"]!["output"]!.ToJsonString());
    }

    [Fact]
    public async Task An_invalid_structured_answer_is_sent_back_with_the_errors_and_corrected()
    {
        Model.Reset();
        Model.Play(
            Call("done", new JsonObject { ["output"] = new JsonObject { ["who"] = 5 } }),
            request =>
            {
                Assert.Contains("does not match the response model", Last(request, "tool"));
                return ToolCallOf("done", new JsonObject { ["output"] = new JsonObject { ["who"] = "fixed" } });
            });
        var id = await SubmitAsync(new JsonObject { ["task"] = "answer", ["url"] = pages.Url("/"), ["response_model"] = WhoSchema.DeepClone() });
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Assert.Equal("""{"who":"fixed"}""", done["output"]!.ToJsonString());
        var first = done["events"]!.AsArray().First(e => e!["name"]!.GetValue<string>() == "agent_step")!;
        Assert.False(first["payload"]!["ok"]!.GetValue<bool>());
        Assert.Contains("response_model_invalid", first["payload"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_answer_that_stays_invalid_fails_the_task_with_the_validation_errors()
    {
        Model.Reset();
        Model.Play(
            Call("done", new JsonObject { ["output"] = "no object" }),
            Call("done", new JsonObject { ["output"] = new JsonObject() }),
            Call("done", new JsonObject { ["output"] = new JsonObject { ["who"] = false } }));
        var id = await SubmitAsync(new JsonObject { ["task"] = "answer", ["url"] = pages.Url("/"), ["response_model"] = WhoSchema.DeepClone() });
        var failed = await _client.WaitForStatusAsync(id, "failed", TimeSpan.FromSeconds(60));
        Assert.Contains("response_model_invalid", failed["output"]!.GetValue<string>());
        Assert.Contains("/who", failed["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_custom_tool_round_trips_through_tool_call_events()
    {
        Model.Reset();
        Model.Play(
            Call("weather", new JsonObject { ["city"] = "Oslo" }),
            request => ToolCallOf("done", new JsonObject { ["output"] = "tool said " + Last(request, "tool") }));
        var id = await SubmitAsync(new JsonObject
        {
            ["task"] = "What is the weather in Oslo?",
            ["custom_tools"] = new JsonArray(new JsonObject
            {
                ["name"] = "weather",
                ["description"] = "Current weather of a city",
                ["inputs"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } },
                ["output"] = "the temperature",
            }),
        });

        var call = await Eventually.Until(async () =>
            (await _client.GetAsync(id)).R["events"]?.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>() == "tool_call"),
            TimeSpan.FromSeconds(30), "the tool_call event");
        Assert.Equal("weather", call["payload"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"city":"Oslo"}""", call["payload"]!["input"]!.ToJsonString());
        var callId = call["id"]!.GetValue<string>();
        Assert.StartsWith("tc_", callId);

        var wrong = await _client.EventAsync(id, """{"name": "tool_call", "id": "tc_never_issued", "payload": {"code": 200, "output": 1}}""");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("no tool call with id 'tc_never_issued'", wrong.Detail);

        var answer = await _client.EventAsync(id, new JsonObject
        {
            ["name"] = "tool_call", ["id"] = callId,
            ["payload"] = new JsonObject { ["code"] = 200, ["output"] = new JsonObject { ["temperature"] = 3 } },
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(30));
        Assert.Equal("tool said ok: {\"temperature\":3}", done["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_400_tool_answer_is_shown_to_the_model_and_a_500_fails_the_task()
    {
        Model.Reset();
        Model.Play(
            Call("weather", new JsonObject { ["city"] = "Atlantis" }),
            request =>
            {
                Assert.Equal("error: no such city", Last(request, "tool"));
                return ToolCallOf("weather", new JsonObject { ["city"] = "Oslo" });
            });
        var id = await SubmitAsync(new JsonObject
        {
            ["task"] = "weather",
            ["custom_tools"] = new JsonArray(new JsonObject
            {
                ["name"] = "weather", ["description"] = "Current weather", ["output"] = "text",
                ["inputs"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } },
            }),
        });

        foreach (var (code, output) in new[] { (400, "no such city"), (500, "weather service down") })
        {
            var call = await Eventually.Until(async () =>
                (await _client.GetAsync(id)).R["events"]?.AsArray().Where(e => e!["name"]!.GetValue<string>() == "tool_call").ElementAtOrDefault(code == 400 ? 0 : 1),
                TimeSpan.FromSeconds(30), $"tool call for the {code} answer");
            var answer = await _client.EventAsync(id, new JsonObject
            {
                ["name"] = "tool_call", ["id"] = call["id"]!.GetValue<string>(),
                ["payload"] = new JsonObject { ["code"] = code, ["output"] = output },
            }.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, answer.Status);
        }

        var failed = await _client.WaitForStatusAsync(id, "failed", TimeSpan.FromSeconds(30));
        Assert.Contains("tool_failed", failed["output"]!.GetValue<string>());
        Assert.Contains("weather service down", failed["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unanswered_tool_call_times_out_and_fails_the_task()
    {
        Model.Reset();
        Model.Play(Call("weather", new JsonObject { ["city"] = "Oslo" }));
        var id = await SubmitAsync(new JsonObject
        {
            ["task"] = "weather",
            ["custom_tools"] = new JsonArray(new JsonObject
            {
                ["name"] = "weather", ["description"] = "Current weather", ["output"] = "text",
                ["inputs"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } } },
            }),
        });
        var failed = await _client.WaitForStatusAsync(id, "failed", TimeSpan.FromSeconds(30));
        Assert.Contains("tool_timeout", failed["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task Running_out_of_steps_fails_the_task_with_that_reason()
    {
        Model.Reset();
        Model.Play(Call("scroll", new JsonObject { ["direction"] = "down" }), Call("scroll", new JsonObject { ["direction"] = "up" }));
        var id = await SubmitAsync(new JsonObject { ["task"] = "scroll forever", ["url"] = pages.Url("/widgets"), ["max_steps"] = 2 });
        var failed = await _client.WaitForStatusAsync(id, "failed", TimeSpan.FromSeconds(60));
        Assert.Contains("max_steps_exhausted", failed["output"]!.GetValue<string>());
        Assert.Equal(2, failed["credits_used"]!.GetValue<int>());
    }

    [Fact]
    public async Task Allowed_urls_refuse_the_agent_s_navigation_and_the_page_s_own()
    {
        Model.Reset();
        Model.Play(
            Call("goto", new JsonObject { ["url"] = pages.Url("/second") }),
            OnElement("click", "Log in"),
            request => ToolCallOf("done", new JsonObject { ["output"] = Between(Last(request, "user"), "URL: ", "\n") }));
        var id = await SubmitAsync(new JsonObject { ["task"] = "wander", ["url"] = pages.Url("/site/"), ["allowed_urls"] = new JsonArray("http://127.0.0.1:*/site/**") });
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Assert.Equal(pages.Url("/site/"), done["output"]!.GetValue<string>());
        var steps = done["events"]!.AsArray().Where(e => e!["name"]!.GetValue<string>() == "agent_step").ToList();
        Assert.Contains("url_not_allowed", steps[0]!["payload"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_stops_the_agent_mid_run()
    {
        Model.Reset();
        Model.Play(Call("wait", new JsonObject { ["seconds"] = 10 }), Call("wait", new JsonObject { ["seconds"] = 10 }));
        var id = await SubmitAsync(new JsonObject { ["task"] = "wait a lot", ["url"] = pages.Url("/") });
        await Eventually.Until(async () => Model.Requests.IsEmpty ? null : "called", TimeSpan.FromSeconds(30), "the first model call");
        var started = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await _client.CancelAsync(id)).Status);
        await _client.WaitForStatusAsync(id, "cancelled", TimeSpan.FromSeconds(10));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Run_task_and_extract_work_inside_a_session()
    {
        Model.Reset();
        Model.Play(
            request => ToolCallOf("done", new JsonObject { ["output"] = Between(Last(request, "user"), "Title: ", "\n") }),
            Text("""{"heading": "Hello from the test page"}"""));
        var session = await _client.OpenSessionAsync(pages.Url("/"));
        await _client.ActionAsync(session, "rt-1", "session_action", "run_task", new JsonObject { ["task"] = "read the title", ["max_steps"] = 3, ["response_model"] = null, ["url"] = null, ["metadata"] = null });
        var ran = await _client.WaitForEventAsync(session, "rt-1", TimeSpan.FromSeconds(60));
        Assert.Equal(200, ran["payload"]!["code"]!.GetValue<int>());
        Assert.Equal("SessionGrid test page", ran["payload"]!["output"]!["output"]!.GetValue<string>());
        Assert.Equal(1, ran["payload"]!["output"]!["credits_used"]!.GetValue<int>());

        var schema = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["heading"] = new JsonObject { ["type"] = "string" } }, ["required"] = new JsonArray("heading") };
        await _client.ActionAsync(session, "ex-1", "browser_action", "extract", new JsonObject { ["schema"] = schema, ["prompt"] = "the main heading" });
        var extracted = await _client.WaitForEventAsync(session, "ex-1", TimeSpan.FromSeconds(60));
        Assert.Equal(200, extracted["payload"]!["code"]!.GetValue<int>());
        Assert.Equal("""{"heading":"Hello from the test page"}""", extracted["payload"]!["output"]!["output"]!.ToJsonString());
        Assert.Contains("Hello from the test page", Last(Model.Requests.Last(), "user"));
        Assert.NotNull(Model.Requests.Last()["response_format"]);

        var task = await _client.GetAsync(session);
        Assert.Equal("running", task.R["status"]!.GetValue<string>());
        Assert.Equal(2, task.R["credits_used"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_agent_uploads_a_task_file_and_reads_the_page_with_extract()
    {
        Model.Reset();
        var fileId = await _client.UploadedFileAsync("agent-notes.txt", "remember the milk"u8.ToArray(), purpose: "the shopping list");
        Model.Play(
            request =>
            {
                Assert.Contains("Files you can upload: agent-notes.txt (17 bytes: the shopping list)", request["messages"]![1]!["content"]!.GetValue<string>());
                Assert.Contains(request["tools"]!.AsArray(), t => t!["function"]!["name"]!.GetValue<string>() == "upload");
                return OnElement("upload", "input:file", new JsonObject { ["file"] = "agent-notes.txt" })(request);
            },
            OnElement("click", "Send"),
            Call("extract", new JsonObject { ["query"] = "what did the server receive?" }),
            request =>
            {
                // The extraction's own model call: the question and the page, no tools.
                Assert.Contains("what did the server receive?", Last(request, "user"));
                Assert.Contains("agent-notes.txt:17", Last(request, "user"));
                Assert.Null(request["tools"]);
                return Text("it received agent-notes.txt, 17 bytes")(request);
            },
            request => ToolCallOf("done", new JsonObject { ["output"] = Last(request, "tool") }));

        var id = await SubmitAsync(new JsonObject { ["task"] = "upload my notes", ["url"] = pages.Url("/upload"), ["files"] = new JsonArray(fileId) });
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Assert.Equal("ok: \"it received agent-notes.txt, 17 bytes\"", done["output"]!.GetValue<string>());
        Assert.Equal("remember the milk", System.Text.Encoding.UTF8.GetString(pages.Uploads["agent-notes.txt"]));
        var steps = done["events"]!.AsArray().Where(e => e!["name"]!.GetValue<string>() == "agent_step").ToList();
        Assert.Equal(["upload", "click", "extract", "done"], steps.Select(s => s!["payload"]!["tool"]!.GetValue<string>()));
        Assert.Equal(4, done["credits_used"]!.GetValue<int>());
    }

    [Fact]
    public async Task Without_files_the_agent_has_no_upload_tool()
    {
        Model.Reset();
        Model.Play(request =>
        {
            Assert.DoesNotContain(request["tools"]!.AsArray(), t => t!["function"]!["name"]!.GetValue<string>() == "upload");
            Assert.DoesNotContain("Files you can upload", request["messages"]![1]!["content"]!.GetValue<string>());
            return ToolCallOf("upload", new JsonObject { ["index"] = 0, ["file"] = "x.txt" });
        }, request => ToolCallOf("done", new JsonObject { ["output"] = Last(request, "tool") }));
        var id = await SubmitAsync(new JsonObject { ["task"] = "upload", ["url"] = pages.Url("/upload") });
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Assert.Contains("no file named 'x.txt'", done["output"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("every_step", 3)]
    [InlineData("on_navigation", 2)]
    public async Task A_browsing_task_s_default_template_runs_the_agent_with_a_screenshot_per_step(string mode, int expected)
    {
        Model.Reset();
        Model.Play(
            Call("goto", new JsonObject { ["url"] = pages.Url("/") }),
            OnElement("click", "next"),
            request => ToolCallOf("done", new JsonObject { ["output"] = Between(Last(request, "user"), "Title: ", "\n") }));
        var browsing = fixture.Host.BrowsingClient();
        var status = await browsing.FinishedAsync(await browsing.SubmitAsync(new JsonObject
        {
            ["task"] = "open the next page and tell me its title",
            ["screenshots"] = new JsonObject { ["mode"] = mode },
        }));
        Assert.True(status["success"]!.GetValue<bool>(), status.ToJsonString());
        Assert.Equal("Second page", status["payload"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, expected).Select(i => $"screenshot-{i:00}.png"), status["screenshots"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("open the next page", Model.Requests.First()["messages"]![1]!["content"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadAgentRequests => new()
    {
        { """{"task": "x", "max_steps": 1}""", "max_steps" },
        { """{"task": "x", "max_steps": 129}""", "max_steps" },
        { """{"task": ""}""", "task must be 1 to 20000 characters" },
        { """{"task": "x", "metadata": {"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1,"i":1,"j":1,"k":1,"l":1,"m":1,"n":1,"o":1,"p":1,"q":1}}""", "at most 16 keys" },
        { $$$"""{"task": "x", "metadata": {"long": "{{{new string('v', 2049)}}}"}}""", "longer than 2048 characters" },
        { """{"task": "x", "metadata": {"nested": {"a": 1}}}""", "must be a string, a number or a boolean" },
        { """{"task": "x", "metadata": [1]}""", "metadata must be an object" },
        { """{"task": "x", "response_model": "a string"}""", "response_model must be a JSON schema object" },
        { """{"task": "x", "response_model": {"type": 5}}""", "response_model is not a valid JSON schema" },
        { """{"task": "x", "custom_tools": [{"name": "t", "description": "d", "output": "o"}]}""", "custom_tools[0].inputs is required" },
        { """{"task": "x", "custom_tools": [{"name": "t", "description": "d", "inputs": {}}, {"name": "t", "description": "d", "inputs": {}}]}""", "custom_tools[1].name 't' is already taken" },
        { """{"task": "x", "custom_tools": [{"name": "bad name!", "description": "d", "inputs": {}}]}""", "letters, digits" },
        { """{"task": "x", "custom_tools": [{"description": "d", "inputs": {}}]}""", "custom_tools[0].name is required" },
        { """{"task": "x", "allowed_urls": [""]}""", "allowed_urls must be" },
    };

    [Theory]
    [MemberData(nameof(BadAgentRequests))]
    public async Task A_bad_agent_request_is_a_400_and_creates_no_task(string body, string expected)
    {
        var before = (await _client.ListAsync("?l=128")).R.AsArray().Count;
        var response = await _client.SubmitAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Detail);
        Assert.Equal(before, (await _client.ListAsync("?l=128")).R.AsArray().Count);
    }

    private async Task<string> SubmitAsync(JsonObject body)
    {
        var response = await _client.SubmitAsync(body.ToJsonString());
        Assert.True(response.Status == HttpStatusCode.OK, response.Body?.ToJsonString());
        return response.R["id"]!.GetValue<string>();
    }

    private static JsonObject ToolCallOf(string tool, JsonObject arguments) => Call(tool, arguments)(new JsonObject());

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..(to < 0 ? text.Length : to)].Trim();
    }
}
