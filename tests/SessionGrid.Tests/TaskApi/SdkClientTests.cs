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

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..to];
    }
}
