using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Browser;

/// <summary>The real executable: records survive a restart, and no Chromium outlives its host, even one killed outright.</summary>
public sealed class HostProcessTests(TestPages pages)
{
    [Fact]
    public async Task Tasks_survive_a_restart_and_no_Chromium_outlives_a_gracefully_stopped_host()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-proc-").FullName;
        string closed, open;
        await using (var first = await SiloProcess.StartAsync(dataDir))
        {
            var client = first.Client();
            closed = await client.OpenSessionAsync(pages.Url("/"));
            await client.ActionAsync(closed, "title", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.title" });
            await client.ActionAsync(closed, "bye", "session_action", "close", null);
            await client.WaitForStatusAsync(closed, "done");
            open = await client.OpenSessionAsync(pages.Url("/"));
            Assert.NotEmpty(ProcessTree.ChromiumOwnedBy(first.Pid));

            await first.StopAsync(kill: false);
            Assert.Empty(ProcessTree.ChromiumOwnedBy(first.Pid));
        }

        await using var second = await SiloProcess.StartAsync(dataDir);
        var restarted = second.Client();
        var listed = (await restarted.ListAsync()).R.AsArray().Select(t => t!["id"]!.GetValue<string>());
        Assert.Equal([open, closed], listed);

        var closedTask = await restarted.GetAsync(closed);
        Assert.Equal(HttpStatusCode.OK, closedTask.Status);
        Assert.Equal("done", closedTask.R["status"]!.GetValue<string>());
        var events = closedTask.R["events"]!.AsArray();
        Assert.Equal("SessionGrid test page", events.Single(e => e!["id"]?.GetValue<string>() == "title")!["payload"]!["output"]!["output"]!.GetValue<string>());

        var openTask = await restarted.GetAsync(open);
        Assert.Equal("failed", openTask.R["status"]!.GetValue<string>());
        Assert.Contains("host_stopping", openTask.R["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_killed_host_leaves_no_task_running_and_its_Chromium_is_reaped_by_the_next_start()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-proc-").FullName;
        string open;
        int firstPid;
        await using (var first = await SiloProcess.StartAsync(dataDir))
        {
            firstPid = first.Pid;
            open = await first.Client().OpenSessionAsync(pages.Url("/"));
            await first.StopAsync(kill: true);
        }

        await using var second = await SiloProcess.StartAsync(dataDir);
        await Eventually.Until(
            () => Task.FromResult(ProcessTree.ChromiumOwnedBy(firstPid).Count == 0 ? "gone" : null),
            TimeSpan.FromSeconds(15), "the killed host's Chromium to be gone");

        var task = await second.Client().GetAsync(open);
        Assert.Equal(HttpStatusCode.OK, task.Status);
        Assert.Equal("failed", task.R["status"]!.GetValue<string>());
        Assert.Contains("session_lost", task.R["output"]!.GetValue<string>());
        Assert.Equal("session_lost", task.R["events"]!.AsArray()[^1]!["payload"]!["reason"]!.GetValue<string>());
    }
}
