using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Cluster;

/// <summary>
/// A host with one browser context and a queue of one: waiting (the open answers at once, its task <c>waiting</c>), the
/// queue timeout, and 429 at its edge.
/// </summary>
public sealed class CapacityHostTests(TestPages pages)
{
    [Fact]
    public async Task A_full_host_queues_one_session_refuses_the_next_and_hands_a_freed_context_to_the_waiting_one()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:MaxContexts"] = "1",
            ["SessionGrid:Browser:MaxQueuedSessions"] = "1",
            ["SessionGrid:Browser:QueueTimeoutSeconds"] = "3",
        });
        try
        {
            var client = host.Client();
            var first = await client.OpenSessionAsync();
            var tasksBefore = (await client.ListAsync("?l=128")).R.AsArray().Count;

            // The second is answered at once, waiting; it waits for the whole queue timeout, then fails; meanwhile a third is refused.
            var second = await client.SubmitAsync(new JsonObject { ["task"] = null }.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, second.Status);
            Assert.Equal("waiting", second.R["status"]!.GetValue<string>());
            var secondId = second.R["id"]!.GetValue<string>();
            Assert.Contains((await client.ListAsync("?l=128")).R.AsArray(),
                t => t!["id"]!.GetValue<string>() == secondId && t["status"]!.GetValue<string>() == "waiting");
            var third = await client.SubmitAsync(new JsonObject { ["task"] = null }.ToJsonString());
            Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
            Assert.Contains("every browser of this node is busy (1 sessions) and 1 more already wait", third.Detail);
            var thirdSession = await host.SessionClient().CreateAsync();
            Assert.Equal(HttpStatusCode.TooManyRequests, thirdSession.Status);
            Assert.Equal(429, thirdSession.Json["status"]!.GetValue<int>());

            var timedOut = await Eventually.Until(async () => await client.GetAsync(secondId) is { Status: HttpStatusCode.OK } done ? done : null,
                TimeSpan.FromSeconds(30), "the waiting session to time out");
            Assert.Equal("failed", timedOut.R["status"]!.GetValue<string>());
            Assert.Equal("no_capacity: no browser became free within 3 seconds", timedOut.R["output"]!.GetValue<string>());
            Assert.Equal(tasksBefore + 1, (await client.ListAsync("?l=128")).R.AsArray().Count);

            // A context freed while a session waits is that session's; a command sent while it waits runs once it is open.
            var fourth = await client.SubmitAsync(new JsonObject { ["task"] = null, ["url"] = pages.Url("/second") }.ToJsonString());
            Assert.Equal("waiting", fourth.R["status"]!.GetValue<string>());
            var fourthId = fourth.R["id"]!.GetValue<string>();
            var early = ProfileSteps.RunAsync(client, fourthId, "evaluate_js", new JsonObject { ["js"] = "document.title" });
            await ProfileSteps.CloseAsync(client, first);
            await Eventually.Until(async () => (await client.GetAsync(fourthId)).R["status"]!.GetValue<string>() == "running" ? "" : null,
                TimeSpan.FromSeconds(30), "the fourth session to open");
            Assert.Equal("Second page", (await early).GetValue<string>());
            var title = await ProfileSteps.RunAsync(client, fourthId, "evaluate_js", new JsonObject { ["js"] = "document.title" });
            Assert.Equal("Second page", title.GetValue<string>());
        }
        finally
        {
            Directory.Delete(host.DataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_browser_session_created_while_every_browser_is_busy_is_queued_and_runs_its_task_once_one_frees()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:MaxContexts"] = "1",
            ["SessionGrid:Browser:MaxQueuedSessions"] = "1",
            ["SessionGrid:Browser:QueueTimeoutSeconds"] = "60",
        });
        try
        {
            var client = host.Client();
            var sessions = host.SessionClient();
            var first = await client.OpenSessionAsync();

            // Answered at once, queued; its task waits for the browser and runs once the first session frees it.
            var created = await sessions.CreateAsync();
            Assert.Equal(HttpStatusCode.Created, created.Status);
            Assert.Equal("queued", created.Json["status"]!.GetValue<string>());
            var id = created.Json["id"]!.GetValue<string>();
            var task = sessions.ActionAsync(id, new JsonObject { ["type"] = "evaluate", ["script"] = "document.title" }, pages.Url("/second"));
            Assert.Equal("queued", (await sessions.GetAsync(id)).Json["status"]!.GetValue<string>());
            await ProfileSteps.CloseAsync(client, first);
            var ran = await task;
            Assert.Equal(HttpStatusCode.Created, ran.Status);
            Assert.Equal("Second page", ran.Json["actionResults"]!.AsArray().Last()!["value"]!.GetValue<string>());
            Assert.Equal("active", (await sessions.GetAsync(id)).Json["status"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(host.DataDir, recursive: true);
        }
    }
}
