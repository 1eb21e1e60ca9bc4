using System.Net;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Mcp;

/// <summary>
/// The MCP server end to end, with the official C# MCP client over real HTTP against the real host and real Chromium:
/// the tools it lists, a session from open to close, and that the session is an ordinary Task API session of its key only.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class McpWorkflowTests(SharedHost shared, TestPages pages)
{
    private static readonly string[] BrowserTools =
    [
        "session_open", "session_list", "session_close", "navigate", "click", "type", "press", "scroll", "select", "hover",
        "wait_for", "evaluate", "snapshot", "screenshot", "content", "pdf", "upload_file",
    ];

    [Fact]
    public async Task The_server_lists_every_tool_with_a_description_and_an_input_schema()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        Assert.Equal("SessionGrid", client.ServerInfo!.Name);
        Assert.Contains("snapshot", client.ServerInstructions);

        var tools = await client.ListToolsAsync();
        // No model is configured on the shared host: extract and run_task are not offered.
        Assert.Equal(BrowserTools.Order(), tools.Select(t => t.Name).Order());
        foreach (var tool in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), $"{tool.Name} has no description");
            Assert.DoesNotContain('\n', tool.Description);
            var schema = JsonNode.Parse(tool.JsonSchema.GetRawText())!;
            Assert.Equal("object", schema["type"]!.GetValue<string>());
            Assert.False(schema["additionalProperties"]!.GetValue<bool>());
            if (tool.Name is not ("session_open" or "session_list"))
            {
                Assert.Contains("session_id", schema["required"]!.AsArray().Select(r => r!.GetValue<string>()));
            }
        }

        var navigate = JsonNode.Parse(tools.Single(t => t.Name == "navigate").JsonSchema.GetRawText())!;
        Assert.Equal(["session_id", "url"], navigate["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("string", navigate["properties"]!["url"]!["type"]!.GetValue<string>());
        Assert.True(tools.Single(t => t.Name == "snapshot").ProtocolTool.Annotations?.ReadOnlyHint);
    }

    [Fact]
    public async Task The_MCP_endpoint_is_no_part_of_the_OpenAPI_document()
    {
        using var http = new HttpClient { BaseAddress = new Uri(shared.Host.BaseUrl) };
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        Assert.DoesNotContain(document["paths"]!.AsObject(), path => path.Key.StartsWith("/mcp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_opens_navigates_clicks_by_snapshot_number_types_evaluates_screenshots_and_closes()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var opened = JsonNode.Parse(await client.CallOkAsync("session_open", new JsonObject { ["device"] = "desktop" }))!;
        var sessionId = opened["session_id"]!.GetValue<string>();
        Assert.StartsWith("task_", sessionId);
        Assert.Equal("desktop", opened["device"]!.GetValue<string>());
        var liveUrl = opened["live_url"]!.GetValue<string>();

        var navigated = JsonNode.Parse(await client.CallOkAsync("navigate", new JsonObject { ["session_id"] = sessionId, ["url"] = pages.Url("/widgets") }))!;
        Assert.Equal(pages.Url("/widgets"), navigated["url"]!.GetValue<string>());
        Assert.Equal(200, navigated["status"]!.GetValue<int>());

        // The snapshot is the agent's observation: numbered elements, the text the model reads, and its parts.
        var snapshot = await client.CallAsync("snapshot", new JsonObject { ["session_id"] = sessionId });
        Assert.True(snapshot.IsError is not true, snapshot.Text());
        Assert.Contains("Title: Widgets", snapshot.Text());
        Assert.Contains("Interactive elements:", snapshot.Text());
        var elements = JsonNode.Parse(snapshot.StructuredContent!.Value.GetRawText())!["elements"]!.AsArray();
        var count = Element(elements, e => e["text"]!.GetValue<string>() == "Count");
        var name = Element(elements, e => e["name"]!.GetValue<string>() == "name");
        Assert.Contains($"[{count}] button", snapshot.Text());

        await client.CallOkAsync("click", new JsonObject { ["session_id"] = sessionId, ["element"] = count });
        await client.CallOkAsync("click", new JsonObject { ["session_id"] = sessionId, ["element"] = count });
        var typed = JsonNode.Parse(await client.CallOkAsync("type", new JsonObject { ["session_id"] = sessionId, ["element"] = name, ["text"] = "hello mcp" }))!;
        Assert.Equal(9, typed["charactersTyped"]!.GetValue<int>());

        var state = await client.EvaluateAsync(sessionId, "({ clicks: document.getElementById('clicks').textContent, name: document.getElementById('name').value })");
        Assert.Equal("2", state!["clicks"]!.GetValue<string>());
        Assert.Equal("hello mcp", state["name"]!.GetValue<string>());

        var screenshot = await client.CallAsync("screenshot", new JsonObject { ["session_id"] = sessionId });
        var image = Assert.IsType<ImageContentBlock>(Assert.Single(screenshot.Content));
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.DecodedData[..4].ToArray());

        // While it runs it is an ordinary Task API session of this key, and its live view opens.
        var tasks = shared.Host.Client();
        var listed = (await tasks.ListAsync()).R.AsArray().Single(t => t!["id"]!.GetValue<string>() == sessionId)!;
        Assert.Equal("running", listed["status"]!.GetValue<string>());
        using (var http = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(liveUrl)).StatusCode);
        }

        var closed = JsonNode.Parse(await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = sessionId }))!;
        Assert.Equal("done", closed["status"]!.GetValue<string>());

        // The task record shows the session's end; another key sees nothing of it.
        var record = await tasks.GetAsync(sessionId);
        Assert.Equal(HttpStatusCode.OK, record.Status);
        Assert.Equal("done", record.R["status"]!.GetValue<string>());
        Assert.Equal("closed", record.R["events"]!.AsArray()[^1]!["payload"]!["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await shared.Host.Client(TestKeys.B).GetAsync(sessionId)).Status);
        Assert.DoesNotContain((await shared.Host.Client(TestKeys.B).ListAsync()).R.AsArray(), t => t!["id"]!.GetValue<string>() == sessionId);
        await using var other = await McpClients.ConnectAsync(shared.Host, TestKeys.B);
        Assert.DoesNotContain(sessionId, await other.CallOkAsync("session_list"));
    }

    [Fact]
    public async Task Every_page_tool_runs_its_action_once()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host, bearer: true);
        var sessionId = await client.OpenSessionAsync(pages.Url("/widgets"));
        JsonObject On(JsonObject arguments)
        {
            arguments["session_id"] = sessionId;
            return arguments;
        }

        await client.CallOkAsync("wait_for", On(new JsonObject { ["selector"] = "#late" }));
        await client.CallOkAsync("wait_for", On(new JsonObject { ["text"] = "arrived late" }));
        await client.CallOkAsync("press", On(new JsonObject { ["key"] = "x", ["selector"] = "#keys" }));
        await client.CallOkAsync("hover", On(new JsonObject { ["selector"] = "#hover-target" }));
        var selected = JsonNode.Parse(await client.CallOkAsync("select", On(new JsonObject { ["selector"] = "#color", ["text"] = "Green" })))!;
        Assert.Equal("g", selected["selected"]![0]!.GetValue<string>());
        await client.CallOkAsync("scroll", On(new JsonObject { ["selector"] = "#far" }));
        var state = await client.EvaluateAsync(sessionId, "({ key: window.lastKey, hovered: document.getElementById('hover-target').textContent, scrolled: window.scrollY > 1000 })");
        Assert.Equal("x", state!["key"]!.GetValue<string>());
        Assert.Equal("hovered", state["hovered"]!.GetValue<string>());
        Assert.True(state["scrolled"]!.GetValue<bool>());
        await client.CallOkAsync("scroll", On(new JsonObject { ["coordinates"] = new JsonObject { ["x"] = 0, ["y"] = 0 } }));
        Assert.Equal(0, (await client.EvaluateAsync(sessionId, "window.scrollY"))!.GetValue<int>());

        var doubled = JsonNode.Parse(await client.CallOkAsync("evaluate", On(new JsonObject { ["script"] = "(args) => args.n * 2", ["args"] = new JsonObject { ["n"] = 21 } })))!;
        Assert.Equal(42, doubled.GetValue<int>());

        var content = JsonNode.Parse(await client.CallOkAsync("content", On([])))!;
        Assert.Contains("<title>Widgets</title>", content["html"]!.GetValue<string>());
        Assert.Equal(pages.Url("/widgets"), content["url"]!.GetValue<string>());

        var pdf = await client.CallAsync("pdf", On(new JsonObject { ["format"] = "A4", ["print_background"] = true }));
        var document = Assert.IsType<BlobResourceContents>(Assert.IsType<EmbeddedResourceBlock>(Assert.Single(pdf.Content)).Resource);
        Assert.Equal("application/pdf", document.MimeType);
        Assert.Equal("%PDF"u8.ToArray(), document.DecodedData[..4].ToArray());

        await client.CallOkAsync("navigate", On(new JsonObject { ["url"] = pages.Url("/upload") }));
        var fileName = $"mcp-{Guid.NewGuid():N}.txt";
        var uploaded = JsonNode.Parse(await client.CallOkAsync("upload_file", On(new JsonObject
        {
            ["selector"] = "#file",
            ["filename"] = fileName,
            ["content_base64"] = Convert.ToBase64String("from mcp"u8.ToArray()),
            ["content_type"] = "text/plain",
        })))!;
        Assert.Equal(8, uploaded["size"]!.GetValue<int>());
        await client.CallOkAsync("click", On(new JsonObject { ["selector"] = "#send" }));
        await client.CallOkAsync("wait_for", On(new JsonObject { ["selector"] = "#received" }));
        Assert.Equal("from mcp"u8.ToArray(), pages.Uploads[fileName]);

        await client.CallOkAsync("session_close", On([]));
    }

    private static int Element(JsonArray elements, Func<JsonNode, bool> match) =>
        elements.Single(e => match(e!))!["index"]!.GetValue<int>();
}
