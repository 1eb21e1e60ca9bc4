using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Grains.Agent;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Telemetry;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.Agent;

/// <summary>A host whose agent talks to a scripted model and whose spans are captured, to see which actions ran.</summary>
public sealed class ToolsHost : IAsyncLifetime
{
    public ScriptedModel Model { get; private set; } = null!;
    public SessionGridHost Host { get; private set; } = null!;
    public TelemetryCapture Telemetry { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Model = await ScriptedModel.StartAsync();
        Host = await SessionGridHost.StartAsync(settings: Model.Settings(), configure: Telemetry.Configure);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Model.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

/// <summary>
/// <c>additional_tools</c> end to end: the SDK's screenshot (full_page), hover, print_page and drag_drop are offered to
/// the model only when asked for and each runs as an action of the one action runner; a client's tool may share a
/// built-in tool's name (the model sees it as custom_NAME); bad names and options are a 400 naming them.
/// </summary>
public sealed partial class AdditionalToolsTests(ToolsHost fixture, TestPages pages) : IClassFixture<ToolsHost>
{
    private static readonly string[] OwnTools = ["goto", "click", "type", "select", "scroll", "wait", "extract", "done"];

    private readonly TaskApiClient _client = fixture.Host.Client();
    private ScriptedModel Model => fixture.Model;

    [Fact]
    public async Task Without_additional_tools_the_model_gets_only_the_agent_s_own_tools()
    {
        Model.Reset();
        Model.Play(request =>
        {
            Assert.Equal(OwnTools, ToolNames(request));
            return ToolCallOf("done", new JsonObject { ["output"] = "ok" });
        });
        var id = await SubmitAsync(new JsonObject { ["task"] = "nothing", ["url"] = pages.Url("/agent/tools") });
        await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Hover_drag_drop_screenshot_and_print_page_run_as_actions_and_keep_their_captures()
    {
        Model.Reset();
        Model.Play(
            request =>
            {
                Assert.Equal([.. OwnTools, "screenshot", "hover", "print_page", "drag_drop"], ToolNames(request));
                var dragDrop = Tool(request, "drag_drop")["parameters"]!;
                Assert.Equal("""["source_index","target_index"]""", dragDrop["required"]!.ToJsonString());
                Assert.Contains("whole page", Tool(request, "screenshot")["description"]!.GetValue<string>());
                return OnElement("hover", "Products")(request);
            },
            request =>
            {
                Assert.Contains("Enterprise plan revealed", Last(request, "user"));
                return ToolCallOf("drag_drop", new JsonObject { ["source_index"] = IndexOf(request, "Card"), ["target_index"] = IndexOf(request, "Done lane") });
            },
            request =>
            {
                Assert.Contains("Card dropped in Done lane", Last(request, "user"));
                return ToolCallOf("screenshot", []);
            },
            request =>
            {
                Assert.StartsWith("ok: {\"file\":\"screenshot-01.png\"", Last(request, "tool"));
                return ToolCallOf("print_page", []);
            },
            request =>
            {
                Assert.StartsWith("ok: {\"file\":\"page-01.pdf\"", Last(request, "tool"));
                return ToolCallOf("done", new JsonObject { ["output"] = "all tools ran" });
            });

        var id = await SubmitAsync(new JsonObject
        {
            ["task"] = "use every extra tool",
            ["url"] = pages.Url("/agent/tools"),
            ["additional_tools"] = new JsonObject { ["screenshot"] = new JsonObject { ["full_page"] = true }, ["hover"] = null, ["print_page"] = new JsonObject(), ["drag_drop"] = null },
        });
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Assert.Equal("all tools ran", done["output"]!.GetValue<string>());
        var steps = done["events"]!.AsArray().Where(e => e!["name"]!.GetValue<string>() == "agent_step").Select(e => e!["payload"]!).ToList();
        Assert.Equal(["hover", "drag_drop", "screenshot", "print_page", "done"], steps.Select(s => s!["tool"]!.GetValue<string>()));
        Assert.All(steps, s => Assert.True(s!["ok"]!.GetValue<bool>(), s!.ToJsonString()));

        // Each ran through the action runner: its span is the action's, in this session.
        fixture.Telemetry.Flush(fixture.Host.Services);
        var actions = fixture.Telemetry.Spans
            .Where(s => s.Source.Name == SessionGridTelemetry.Name && s.GetTagItem(SessionGridTelemetry.SessionId) as string == id)
            .OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName).ToList();
        Assert.Equal(["navigate", "hover", "dragAndDrop", "screenshot", "pdf"], actions);

        // The captures are the session's downloads: a PNG of the whole (3000 px tall) page and a PDF.
        var artifacts = fixture.Host.Services.GetRequiredService<IArtifactStore>();
        var png = (await artifacts.GetAsync(AgentCaptures.Scope(id), "screenshot-01.png", CancellationToken.None))!;
        Assert.Equal("image/png", png.ContentType);
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(png.Content.AsSpan(20, 4)) > 3000, "the screenshot shows the whole page");
        var pdf = (await artifacts.GetAsync(AgentCaptures.Scope(id), "page-01.pdf", CancellationToken.None))!;
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf.Content, 0, 4));
    }

    [Fact]
    public async Task A_viewport_screenshot_is_the_default()
    {
        Model.Reset();
        Model.Play(
            request =>
            {
                Assert.Contains("visible part", Tool(request, "screenshot")["description"]!.GetValue<string>());
                return ToolCallOf("screenshot", []);
            },
            Call("done", new JsonObject { ["output"] = "shot" }));
        var id = await SubmitAsync(new JsonObject { ["task"] = "shoot", ["url"] = pages.Url("/agent/tools"), ["additional_tools"] = new JsonObject { ["screenshot"] = null } });
        await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        var png = (await fixture.Host.Services.GetRequiredService<IArtifactStore>().GetAsync(AgentCaptures.Scope(id), "screenshot-01.png", CancellationToken.None))!;
        Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(png.Content.AsSpan(20, 4)));
    }

    [Fact]
    public async Task A_client_tool_may_take_a_built_in_tool_s_name_and_the_model_sees_it_as_custom_NAME()
    {
        Model.Reset();
        Model.Play(
            request =>
            {
                // The server's tools keep their names; the client's colliding ones are prefixed, the others not.
                Assert.Equal([.. OwnTools, "screenshot", "custom_screenshot", "custom_click", "custom_done", "hover"], ToolNames(request));
                Assert.StartsWith("The client's own tool 'screenshot' (not the browser's screenshot). Files a note", Tool(request, "custom_screenshot")["description"]!.GetValue<string>());
                Assert.StartsWith("Take a screenshot", Tool(request, "screenshot")["description"]!.GetValue<string>());
                Assert.Equal("Hovers in the client's app", Tool(request, "hover")["description"]!.GetValue<string>());
                return ToolCallOf("custom_screenshot", new JsonObject { ["note"] = "n1" });
            },
            request =>
            {
                Assert.Equal("ok: \"client shot\"", Last(request, "tool"));
                return ToolCallOf("screenshot", []);
            },
            request =>
            {
                Assert.StartsWith("ok: {\"file\":\"screenshot-01.png\"", Last(request, "tool"));
                return ToolCallOf("hover", new JsonObject { ["note"] = "n2" });
            },
            request => ToolCallOf("done", new JsonObject { ["output"] = Last(request, "tool") }));

        var id = await SubmitAsync(new JsonObject
        {
            ["task"] = "use both screenshots",
            ["url"] = pages.Url("/agent/tools"),
            ["additional_tools"] = new JsonObject { ["screenshot"] = null },
            ["custom_tools"] = new JsonArray(ClientTool("screenshot", "Files a note"), ClientTool("click", "Clicks in the client's app"),
                ClientTool("done", "Marks the client's job done"), ClientTool("hover", "Hovers in the client's app")),
        });

        // The client's tool calls carry the client's own names.
        foreach (var (name, output) in new[] { ("screenshot", "client shot"), ("hover", "client hover") })
        {
            var call = await Eventually.Until(async () =>
                (await _client.GetAsync(id)).R["events"]?.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>() == "tool_call" && e["payload"]!["name"]!.GetValue<string>() == name),
                TimeSpan.FromSeconds(30), $"the tool call of the client's {name}");
            var answer = await _client.EventAsync(id, new JsonObject
            {
                ["name"] = "tool_call", ["id"] = call["id"]!.GetValue<string>(),
                ["payload"] = new JsonObject { ["code"] = 200, ["output"] = output },
            }.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, answer.Status);
        }

        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Assert.Equal("ok: \"client hover\"", done["output"]!.GetValue<string>());
        var steps = done["events"]!.AsArray().Where(e => e!["name"]!.GetValue<string>() == "agent_step").Select(e => e!["payload"]!["tool"]!.GetValue<string>());
        Assert.Equal(["custom_screenshot", "screenshot", "hover", "done"], steps);
        Assert.NotNull(await fixture.Host.Services.GetRequiredService<IArtifactStore>().GetAsync(AgentCaptures.Scope(id), "screenshot-01.png", CancellationToken.None));
    }

    public static TheoryData<string, string> BadAdditionalTools => new()
    {
        { "[]", "additional_tools must be an object of tool names (screenshot, hover, print_page, drag_drop)" },
        { "\"screenshot\"", "additional_tools must be an object" },
        { """{"zoom": null}""", "additional_tools: unknown tool 'zoom': expected one of screenshot, hover, print_page, drag_drop" },
        { """{"screenshot": true}""", "additional_tools.screenshot must be an object of options, or null" },
        { """{"print_page": 1}""", "additional_tools.print_page must be an object of options, or null" },
        { """{"screenshot": {"full_page": "yes"}}""", "additional_tools.screenshot.full_page must be true or false" },
        { """{"screenshot": {"full_page": 1}}""", "additional_tools.screenshot.full_page must be true or false" },
        { """{"screenshot": {"fullPage": true}}""", "additional_tools.screenshot has no option 'fullPage': it takes full_page" },
        { """{"hover": {"delay": 1}}""", "additional_tools.hover takes no options (got 'delay')" },
        { """{"drag_drop": {"full_page": true}}""", "additional_tools.drag_drop takes no options" },
    };

    [Theory]
    [MemberData(nameof(BadAdditionalTools))]
    public async Task Bad_additional_tools_are_a_400_naming_the_tool_or_option_and_create_nothing(string tools, string expected)
    {
        var before = (await _client.ListAsync("?l=128")).R.AsArray().Count;
        foreach (var task in new[] { "\"x\"", "null" })
        {
            var response = await _client.SubmitAsync($$"""{"task": {{task}}, "additional_tools": """ + tools + "}");
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Contains(expected, response.Detail);
        }

        Assert.Equal(before, (await _client.ListAsync("?l=128")).R.AsArray().Count);
    }

    [Fact]
    public async Task A_session_accepts_additional_tools_as_the_SDK_s_CLI_sends_them()
    {
        var response = await _client.SubmitAsync("""{"task": null, "additional_tools": {"screenshot": {"full_page": false}}}""");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        await _client.CancelAsync(response.R["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task DragAndDrop_is_an_action_of_the_vocabulary()
    {
        var session = await _client.OpenSessionAsync(pages.Url("/agent/tools"));
        await _client.ActionAsync(session, "drag", "browser_action", "dragAndDrop", new JsonObject { ["source"] = "#card", ["target"] = "#lane" });
        var dragged = await _client.WaitForEventAsync(session, "drag");
        Assert.Equal(200, dragged["payload"]!["code"]!.GetValue<int>());
        await _client.ActionAsync(session, "read", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.getElementById('dropped').textContent" });
        var read = await _client.WaitForEventAsync(session, "read");
        Assert.Equal("Card dropped in Done lane", read["payload"]!["output"]!["output"]!.GetValue<string>());

        var missing = await _client.ActionAsync(session, "bad", "browser_action", "dragAndDrop", new JsonObject { ["source"] = "#card" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("dragAndDrop: target is required", missing.Detail);
        await _client.CancelAsync(session);
    }

    private static JsonObject ClientTool(string name, string description) => new()
    {
        ["name"] = name,
        ["description"] = description,
        ["inputs"] = new JsonObject { ["note"] = new JsonObject { ["type"] = "string" } },
    };

    private async Task<string> SubmitAsync(JsonObject body)
    {
        var response = await _client.SubmitAsync(body.ToJsonString());
        Assert.True(response.Status == HttpStatusCode.OK, response.Body?.ToJsonString());
        return response.R["id"]!.GetValue<string>();
    }

    private static List<string> ToolNames(JsonNode request) =>
        [.. request["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>())];

    private static JsonNode Tool(JsonNode request, string name) =>
        request["tools"]!.AsArray().Single(t => t!["function"]!["name"]!.GetValue<string>() == name)!["function"]!;

    private static int IndexOf(JsonNode request, string text) =>
        int.Parse(ElementLine().Matches(Last(request, "user")).First(m => m.Value.Contains(text, StringComparison.Ordinal)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[(\d+)\] .*$", RegexOptions.Multiline)]
    private static partial Regex ElementLine();

    private static JsonObject ToolCallOf(string tool, JsonObject arguments) => Call(tool, arguments)(new JsonObject());
}
