using System.Text.Json.Nodes;
using SessionGrid.Tests.Agent;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.Mcp;

/// <summary>With a model configured (the scripted one), the MCP server also offers extract and run_task, run by the session's agent.</summary>
public sealed class McpAgentToolTests(AgentHost fixture, TestPages pages) : IClassFixture<AgentHost>
{
    [Fact]
    public async Task Run_task_and_extract_are_offered_and_run_in_the_session()
    {
        var model = fixture.Model;
        model.Reset();
        model.Play(
            request =>
            {
                Assert.Contains("Title: SessionGrid test page", Last(request, "user"));
                return Call("done", new JsonObject { ["output"] = "the title is SessionGrid test page" })(request);
            },
            Text("""{"heading": "Hello from the test page"}"""));
        await using var client = await McpClients.ConnectAsync(fixture.Host);
        Assert.Contains("run_task", (await client.ListToolsAsync()).Select(t => t.Name));
        var sessionId = await client.OpenSessionAsync(pages.Url("/"));

        var ran = await client.CallOkAsync("run_task", new JsonObject { ["session_id"] = sessionId, ["task"] = "read the title", ["max_steps"] = 3 });
        Assert.Equal("the title is SessionGrid test page", JsonNode.Parse(ran)!.GetValue<string>());

        var schema = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["heading"] = new JsonObject { ["type"] = "string" } }, ["required"] = new JsonArray("heading") };
        var extracted = await client.CallOkAsync("extract", new JsonObject { ["session_id"] = sessionId, ["schema"] = schema, ["prompt"] = "the main heading" });
        Assert.Equal("""{"heading":"Hello from the test page"}""", JsonNode.Parse(extracted)!.ToJsonString());

        // The Task API's checks, with its reasons.
        var tooFew = await client.CallAsync("run_task", new JsonObject { ["session_id"] = sessionId, ["task"] = "x", ["max_steps"] = 1 });
        Assert.True(tooFew.IsError);
        Assert.Contains("max_steps", tooFew.Text());
        var badSchema = await client.CallAsync("extract", new JsonObject { ["session_id"] = sessionId, ["schema"] = new JsonObject { ["type"] = 5 } });
        Assert.True(badSchema.IsError);
        Assert.Contains("schema is not a valid JSON schema", badSchema.Text());

        // The agent's steps are the session's task events, as for the Task API's run_task.
        var task = await fixture.Host.Client().GetAsync(sessionId);
        Assert.Contains(task.R["events"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "agent_step");
        await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = sessionId });
    }
}
