using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowsingApi;

/// <summary>A host with short Browsing API limits and an operator template folder.</summary>
public sealed class ShortLimitsHost : IAsyncLifetime
{
    public SessionGridHost Host { get; private set; } = null!;
    public string Templates { get; } = Directory.CreateTempSubdirectory("sessiongrid-templates-").FullName;

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(Path.Combine(Templates, "title-of.json"), """
            {"kind": "actions", "actions": [{"type": "navigate", "url": "{task}"}, {"type": "evaluate", "script": "document.title"}], "payload": 1}
            """);
        File.WriteAllText(Path.Combine(Templates, "broken.json"), "{ not json");
        File.WriteAllText(Path.Combine(Templates, "agentish.json"), """{"kind": "agent", "prompt": "Summarize {task}"}""");
        Host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browsing:SyncWaitSeconds"] = "1",
            ["SessionGrid:Browsing:ScreenshotRetentionHours"] = "0.002",
            ["SessionGrid:Browsing:TemplatesFolder"] = Templates,
            ["SessionGrid:Files:SweepIntervalSeconds"] = "1",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
        Directory.Delete(Templates, recursive: true);
    }
}

/// <summary>Sync timeouts, screenshot retention and operator templates, each at a short configured limit.</summary>
public sealed class BrowsingHostTests(ShortLimitsHost fixture, TestPages pages) : IClassFixture<ShortLimitsHost>
{
    private readonly BrowsingClient _client = fixture.Host.BrowsingClient();

    [Fact]
    public async Task A_sync_call_past_its_wait_limit_answers_504_and_the_task_stays_pollable()
    {
        var wait = new JsonArray(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/") }, new JsonObject { ["type"] = "evaluate", ["script"] = "new Promise(done => setTimeout(() => done(1), 3000))" });
        var response = await _client.SyncAsync(new JsonObject { ["task"] = wait.ToJsonString(), ["template"] = "actions" });
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.Status);
        Assert.Contains("sync wait timeout", response.Error);
        var id = response.Body!["task_id"]!.GetValue<string>();
        // Still under way: running, or (on a loaded machine, whose browser took longer than the wait to open) assigned.
        Assert.Contains((await _client.StatusAsync(id)).Body!["status"]!.GetValue<string>(), new[] { "assigned", "running" });
        var finished = await _client.FinishedAsync(id);
        Assert.Equal("completed", finished["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Screenshots_are_removed_after_their_retention_and_then_answer_404()
    {
        var id = await _client.SubmitAsync(new JsonObject { ["task"] = pages.Url("/"), ["template"] = "visit", ["screenshots"] = new JsonObject { ["mode"] = "final_only" } });
        await _client.FinishedAsync(id);
        var path = $"/api/v1/browsing/screenshots/{id}/screenshot-01.png";
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Get, path, null)).Status);
        await Eventually.Until(async () => (await _client.SendAsync(HttpMethod.Get, path, null)).Status == HttpStatusCode.NotFound ? "gone" : null,
            TimeSpan.FromSeconds(30), "the screenshot to be removed");
        Assert.Equal("completed", (await _client.StatusAsync(id)).Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_operator_template_from_the_folder_turns_the_task_into_its_actions()
    {
        var status = await _client.FinishedAsync(await _client.SubmitAsync(new JsonObject { ["task"] = pages.Url("/second"), ["template"] = "title-of" }));
        Assert.Equal("Second page", status["payload"]!.GetValue<string>());

        var broken = await _client.AsyncAsync(new JsonObject { ["task"] = "x", ["template"] = "broken" });
        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
        Assert.Contains("template 'broken' is invalid JSON", broken.Error);

        var agentish = await _client.AsyncAsync(new JsonObject { ["task"] = "x", ["template"] = "agentish" });
        Assert.Equal(HttpStatusCode.BadRequest, agentish.Status);
        Assert.Contains("no agent model is configured", agentish.Error);

        var unknown = await _client.AsyncAsync(new JsonObject { ["task"] = "x", ["template"] = "missing" });
        Assert.Contains("templates: default, visit, actions, agentish, broken, title-of", unknown.Error);
    }
}
