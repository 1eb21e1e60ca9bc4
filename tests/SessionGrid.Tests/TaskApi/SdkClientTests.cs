using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Agent;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.TaskApi;

/// <summary>
/// The Task API as the official Smooth SDKs use it, through a client that sends and polls exactly as they do
/// (<see cref="SdkStyleSession"/>): commands come back without the poller ever sleeping (the long-poll holds the GET
/// until the result), a graceful close resolves true, and a custom tool that drives the browser runs while the agent
/// waits for it.
/// </summary>
public sealed class SdkClientTests(AgentHost fixture, TestPages pages) : IClassFixture<AgentHost>
{
    private readonly TaskApiClient _client = fixture.Host.Client();

    [Fact]
    public async Task Commands_come_back_on_a_held_poll_without_the_poller_sleeping()
    {
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(pages.Url("/")));
        var navigated = await session.ActionAsync("goto", new JsonObject { ["url"] = pages.Url("/second") });
        Assert.NotNull(navigated);
        var title = await session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "document.title", ["args"] = null });
        Assert.Equal("Second page", title!["output"]!.GetValue<string>());
        var failed = await Assert.ThrowsAsync<SdkToolCallException>(() =>
            session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "throw new Error('boom')" }));
        Assert.Contains("boom", failed.Message);

        // Each answer the poller read carried the result it waited for: it never slept its second between polls.
        Assert.Equal(0, session.Sleeps);
        await _client.CancelAsync(session.TaskId);
    }

    [Fact]
    public async Task A_graceful_close_resolves_true_and_the_task_reads_done_once_its_result_was_seen()
    {
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(pages.Url("/")));
        await session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "1 + 1" });

        var closed = await session.SessionActionAsync("close");
        Assert.True(closed!["output"]!.GetValue<bool>());

        // The answer that carried the close's result said running; a poll past that result reads done at once.
        var after = await _client.GetAsync(session.TaskId, session.LastEventT);
        Assert.Equal("done", after.R["status"]!.GetValue<string>());

        // A second close is refused, and changes nothing.
        var again = await _client.ActionAsync(session.TaskId, "close-again", "session_action", "close", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.NotNull(again.Detail);

        // Any read two seconds after the close reads done, whatever its cursor.
        var done = await _client.WaitForStatusAsync(session.TaskId, "done", TimeSpan.FromSeconds(30));
        Assert.Equal("done", done["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_custom_tool_drives_the_browser_while_the_agent_waits_for_it()
    {
        fixture.Model.Reset();
        fixture.Model.Play(
            Call("probe", new JsonObject { ["where"] = "second" }),
            request => Call("done", new JsonObject { ["output"] = Last(request, "tool") + " | " + Between(Last(request, "user"), "Title: ", "\n") })(request));
        var opened = await _client.SubmitAsync(new JsonObject
        {
            ["task"] = null,
            ["url"] = pages.Url("/"),
            ["custom_tools"] = new JsonArray(new JsonObject
            {
                ["name"] = "probe",
                ["description"] = "Opens a page and reads its title",
                ["inputs"] = new JsonObject { ["where"] = new JsonObject { ["type"] = "string" } },
                ["output"] = "the title",
            }),
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        var session = new SdkStyleSession(_client, opened.R["id"]!.GetValue<string>())
            .WithTool("probe", async (s, input) =>
            {
                await s.ActionAsync("goto", new JsonObject { ["url"] = pages.Url("/" + input["where"]!.GetValue<string>()) });
                var title = await s.ActionAsync("evaluate_js", new JsonObject { ["js"] = "document.title" });
                return title!["output"]!.DeepClone();
            });

        var ran = await session.SessionActionAsync("run_task", new JsonObject { ["task"] = "probe the second page", ["max_steps"] = 4 });

        // The tool's own actions ran while its call was pending, and the agent went on on the page they left.
        Assert.Equal("ok: \"Second page\" | Second page", ran!["output"]!.GetValue<string>());
        await _client.CancelAsync(session.TaskId);
    }

    [Fact]
    public async Task The_sdk_s_telemetry_is_answered_204_and_needs_a_key()
    {
        var batch = """{"events": [{"event": "sdk.run", "timestamp": "2026-12-07T10:00:00+00:00", "properties": {"sdk_version": "0.4.5"}}]}""";
        using var sent = await _client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/telemetry")
        {
            Headers = { { "apikey", TestKeys.A } },
            Content = new StringContent(batch, System.Text.Encoding.UTF8, "application/json"),
        });
        Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        Assert.Empty(await sent.Content.ReadAsByteArrayAsync());

        var anonymous = await fixture.Host.Client(key: null!).SendAsync(HttpMethod.Post, "/api/v1/telemetry", batch);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.NotNull(anonymous.Detail);
    }

    [Fact]
    public async Task Smooth_lite_runs_on_the_lite_model_in_tasks_and_sessions_and_other_agents_are_refused()
    {
        var model = fixture.Model;
        model.Reset();
        model.Play(Call("done", new JsonObject { ["output"] = "lite" }), Call("done", new JsonObject { ["output"] = "full" }));
        var lite = await _client.SubmitAsync(new JsonObject { ["task"] = "say lite", ["url"] = pages.Url("/"), ["agent"] = "smooth-lite" }.ToJsonString());
        await _client.WaitForStatusAsync(lite.R["id"]!.GetValue<string>(), "done", TimeSpan.FromSeconds(60));
        var full = await _client.SubmitAsync(new JsonObject { ["task"] = "say full", ["url"] = pages.Url("/"), ["agent"] = "smooth" }.ToJsonString());
        await _client.WaitForStatusAsync(full.R["id"]!.GetValue<string>(), "done", TimeSpan.FromSeconds(60));
        Assert.Equal([AgentHost.LiteModel, "scripted-model"], model.Requests.Select(r => r["model"]!.GetValue<string>()));

        // A session opened with smooth-lite runs its run_task and extract on the lite model too.
        model.Reset();
        model.Play(Call("done", new JsonObject { ["output"] = "ran" }), Text("""{"title": "SessionGrid test page"}"""));
        var opened = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["url"] = pages.Url("/"), ["agent"] = "smooth-lite" }.ToJsonString());
        var session = new SdkStyleSession(_client, opened.R["id"]!.GetValue<string>());
        await session.SessionActionAsync("run_task", new JsonObject { ["task"] = "run", ["max_steps"] = 2 });
        await session.ActionAsync("extract", new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } });
        Assert.Equal([AgentHost.LiteModel, AgentHost.LiteModel], model.Requests.Select(r => r["model"]!.GetValue<string>()));
        await _client.CancelAsync(session.TaskId);

        foreach (var agent in new JsonNode[] { "smooth-max", "", 5 })
        {
            var refused = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["agent"] = agent.DeepClone() }.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.NotNull(refused.Detail);
        }
    }

    [Fact]
    public async Task Run_task_metadata_may_hold_any_json_within_the_value_length()
    {
        fixture.Model.Reset();
        // The model answers with the task's own prompt, which names the variables.
        fixture.Model.Play(request => Call("done", new JsonObject { ["output"] = request["messages"]![1]!["content"]!.GetValue<string>() })(request));
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(pages.Url("/")));
        var metadata = new JsonObject { ["user"] = new JsonObject { ["name"] = "ann" }, ["ids"] = new JsonArray(1, 2), ["none"] = null, ["plain"] = "x" };
        var ran = await session.SessionActionAsync("run_task", new JsonObject { ["task"] = "use the variables", ["max_steps"] = 2, ["metadata"] = metadata });
        Assert.Contains("""{"user":{"name":"ann"},"ids":[1,2],"none":null,"plain":"x"}""", ran!["output"]!.GetValue<string>());

        // A value's JSON may be 2048 characters, not one more.
        var atLimit = new JsonObject { ["list"] = new JsonArray(new string('v', 2048 - 4)) };
        Assert.Equal(2048, atLimit["list"]!.ToJsonString().Length);
        fixture.Model.Play(Call("done", new JsonObject { ["output"] = "ok" }));
        await session.SessionActionAsync("run_task", new JsonObject { ["task"] = "at the limit", ["max_steps"] = 2, ["metadata"] = atLimit });
        var overLimit = new JsonObject { ["list"] = new JsonArray(new string('v', 2048 - 3)) };
        var refused = await _client.ActionAsync(session.TaskId, "rt-over", "session_action", "run_task",
            new JsonObject { ["task"] = "over the limit", ["metadata"] = overLimit });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("metadata.list is longer than 2048 characters", refused.Detail);
        var notObject = await _client.ActionAsync(session.TaskId, "rt-array", "session_action", "run_task",
            new JsonObject { ["task"] = "array metadata", ["metadata"] = new JsonArray(1) });
        Assert.Equal(HttpStatusCode.BadRequest, notObject.Status);
        Assert.Contains("metadata must be a JSON object", notObject.Detail);
        await _client.CancelAsync(session.TaskId);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..to];
    }
}
