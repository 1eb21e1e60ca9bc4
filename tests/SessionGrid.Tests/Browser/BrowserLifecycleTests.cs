using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Browser;

/// <summary>What happens to sessions when their browser dies, when they idle, and when their host stops.</summary>
public sealed class BrowserLifecycleTests(TestPages pages)
{
    [Fact]
    public async Task A_killed_Chromium_fails_its_sessions_with_a_clear_reason_and_new_sessions_work_afterwards()
    {
        await using var host = await SessionGridHost.StartAsync();
        var client = host.Client();
        var first = await client.OpenSessionAsync(pages.Url("/"));
        var second = await client.OpenSessionAsync(pages.Url("/second"));
        await client.ActionAsync(first, "ready", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.title" });
        await client.WaitForEventAsync(first, "ready");

        var browsers = ProcessTree.ChromiumOfHost(host.Browsers.HostId);
        Assert.NotEmpty(browsers);
        foreach (var pid in browsers)
        {
            Process.GetProcessById(pid).Kill();
        }

        foreach (var taskId in new[] { first, second })
        {
            var failed = await client.WaitForStatusAsync(taskId, "failed");
            Assert.Contains("browser_crashed", failed["output"]!.GetValue<string>());
            Assert.Contains("Chromium process hosting this session exited unexpectedly", failed["output"]!.GetValue<string>());
            var closed = failed["events"]!.AsArray()[^1]!;
            Assert.Equal("session_closed", closed["name"]!.GetValue<string>());
            Assert.Equal("browser_crashed", closed["payload"]!["reason"]!.GetValue<string>());
        }

        var fresh = await client.OpenSessionAsync(pages.Url("/"));
        await client.ActionAsync(fresh, "title", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.title" });
        var title = await client.WaitForEventAsync(fresh, "title");
        Assert.Equal("SessionGrid test page", title["payload"]!["output"]!["output"]!.GetValue<string>());
        Assert.DoesNotContain(browsers, ProcessTree.ChromiumOfHost(host.Browsers.HostId).Contains);
    }

    [Fact]
    public async Task An_idle_session_is_closed_by_its_timer_and_ends_done_with_a_session_closed_event()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["SessionGrid:Session:IdleTimeoutSeconds"] = "1.5" });
        var client = host.Client();
        var idle = await client.OpenSessionAsync();
        var busy = await client.OpenSessionAsync();
        var started = DateTime.UtcNow;

        // Activity keeps a session open past the idle timeout.
        for (var i = 0; i < 6; i++)
        {
            await client.ActionAsync(busy, $"keepalive-{i}", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
            await Task.Delay(500);
        }

        Assert.Equal("running", (await client.GetAsync(busy)).R["status"]!.GetValue<string>());
        var done = await client.WaitForStatusAsync(idle, "done", TimeSpan.FromSeconds(15));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5));
        var closed = done["events"]!.AsArray().Single()!;
        Assert.Equal("session_closed", closed["name"]!.GetValue<string>());
        Assert.Equal("idle_timeout", closed["payload"]!["reason"]!.GetValue<string>());
        Assert.Null(done["output"]);

        await client.WaitForStatusAsync(busy, "done", TimeSpan.FromSeconds(15));
        var late = await client.ActionAsync(idle, "late", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, late.Status);
    }

    [Fact]
    public async Task Stopping_the_host_leaves_no_Chromium_process_and_ends_open_sessions()
    {
        var host = await SessionGridHost.StartAsync();
        var client = host.Client();
        var open = await client.OpenSessionAsync(pages.Url("/"));
        await client.ActionAsync(open, "ready", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        await client.WaitForEventAsync(open, "ready");
        var hostId = host.Browsers.HostId;
        Assert.NotEmpty(ProcessTree.ChromiumOfHost(hostId));

        await host.DisposeAsync();
        Assert.Empty(ProcessTree.ChromiumOfHost(hostId));

        await using var restarted = await SessionGridHost.StartAsync(host.DataDir);
        var ended = await restarted.Client().GetAsync(open);
        Assert.Equal("failed", ended.R["status"]!.GetValue<string>());
        Assert.Contains("host_stopping", ended.R["output"]!.GetValue<string>());
    }
}
