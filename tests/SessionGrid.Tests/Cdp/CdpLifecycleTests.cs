using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;
using static SessionGrid.Tests.Cdp.CdpSteps;

namespace SessionGrid.Tests.Cdp;

/// <summary>
/// A dedicated browser's life beside its session's: CDP commands keep the session from idling out, a dead dedicated
/// Chromium fails only its own session, a stopping host leaves no dedicated Chromium or profile folder behind, and
/// browsers launched ahead (<c>SessionGrid:Browser:WarmDedicated</c>) serve default dedicated sessions without a launch.
/// </summary>
public sealed class CdpLifecycleTests(TestPages pages) : IAsyncLifetime
{
    private Microsoft.Playwright.IPlaywright _playwright = null!;

    public async ValueTask InitializeAsync() => _playwright = await Microsoft.Playwright.Playwright.CreateAsync();

    public ValueTask DisposeAsync()
    {
        _playwright.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task CDP_commands_count_as_activity_and_the_idle_timeout_closes_the_connection()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["SessionGrid:Session:IdleTimeoutSeconds"] = "6" });
        var client = host.Client();
        var (session, cdpUrl) = await OpenDedicatedAsync(client, pages.Url("/"));
        var browser = await ConnectAsync(_playwright, cdpUrl);
        var page = SessionPage(browser);

        // Twice the idle timeout of nothing but CDP commands: the session stays open.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(12);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(2, await page.EvaluateAsync<int>("1 + 1"));
            await Task.Delay(500);
        }

        Assert.Equal("running", (await client.GetAsync(session)).R["status"]!.GetValue<string>());

        // Silence: the idle timer ends the session, and the connection with it.
        var disconnected = DisconnectedAsync(browser);
        var done = await client.WaitForStatusAsync(session, "done", Patience);
        Assert.Equal("idle_timeout", done["events"]!.AsArray()[^1]!["payload"]!["reason"]!.GetValue<string>());
        await disconnected.WaitAsync(Patience);
        Directory.Delete(host.DataDir, recursive: true);
    }

    [Fact]
    public async Task A_dead_dedicated_Chromium_fails_only_its_own_session_and_a_stopping_host_leaves_none_behind()
    {
        var host = await SessionGridHost.StartAsync();
        var hostId = host.Browsers.HostId;
        var client = host.Client();
        var shared = await client.OpenSessionAsync(pages.Url("/"));
        var dedicatedBefore = DedicatedProcesses(hostId);
        var (doomed, doomedUrl) = await OpenDedicatedAsync(client, pages.Url("/"));
        var doomedProcess = Assert.Single(DedicatedProcesses(hostId).Except(dedicatedBefore));
        var (survivor, _) = await OpenDedicatedAsync(client, pages.Url("/second"));
        var survivorProcess = Assert.Single(DedicatedProcesses(hostId).Except(dedicatedBefore).Except([doomedProcess]));
        var browser = await ConnectAsync(_playwright, doomedUrl);
        var disconnected = DisconnectedAsync(browser);

        Process.GetProcessById(doomedProcess).Kill();
        var failed = await client.WaitForStatusAsync(doomed, "failed", Patience);
        Assert.Contains("browser_crashed", failed["output"]!.GetValue<string>());
        await disconnected.WaitAsync(Patience);
        foreach (var (alive, title) in new[] { (shared, "SessionGrid test page"), (survivor, "Second page") })
        {
            Assert.Equal("running", (await client.GetAsync(alive)).R["status"]!.GetValue<string>());
            Assert.Equal(title, (await ProfileSteps.RunAsync(client, alive, "evaluate_js", new() { ["js"] = "document.title" })).GetValue<string>());
        }

        // The host stops: the survivor ends host_stopping, and no Chromium of this host or profile folder is left.
        var folder = ProfileFolderOf(survivorProcess);
        Assert.True(Directory.Exists(folder), folder);
        await host.DisposeAsync();
        Assert.Empty(ProcessTree.ChromiumOfHost(hostId));
        Assert.False(Directory.Exists(folder), folder);

        await using var restarted = await SessionGridHost.StartAsync(host.DataDir);
        var ended = await restarted.Client().GetAsync(survivor);
        Assert.Equal("failed", ended.R["status"]!.GetValue<string>());
        Assert.Contains("host_stopping", ended.R["output"]!.GetValue<string>());
        Assert.Null(ended.R["cdp_url"]);
    }

    [Fact]
    public async Task A_dedicated_session_takes_a_browser_launched_ahead_and_one_with_its_own_settings_gets_a_new_one()
    {
        var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["SessionGrid:Browser:WarmDedicated"] = "1" });
        var hostId = host.Browsers.HostId;
        var client = host.Client();
        var endpoints = host.Services.GetRequiredService<IDevToolsEndpoints>();
        await WarmDedicatedAsync(host, 1);
        var warm = Assert.Single(DedicatedProcesses(hostId));
        var warmPort = DevToolsPortOf(warm);

        // The session's browser is the one launched ahead; the host launches the next.
        var (session, cdpUrl) = await OpenDedicatedAsync(client, pages.Url("/"));
        Assert.Equal(warmPort, endpoints.Find(session)!.Port);
        await WarmDedicatedAsync(host, 1);
        var next = Assert.Single(DedicatedProcesses(hostId).Except([warm]));

        // It is the session's own browser like any other: its page over CDP, under the URL policy.
        var browser = await ConnectAsync(_playwright, cdpUrl);
        var page = SessionPage(browser);
        Assert.Equal(pages.Url("/"), page.Url);
        Assert.Equal("SessionGrid test page", await page.TitleAsync());
        var blocked = await Assert.ThrowsAsync<Microsoft.Playwright.PlaywrightException>(() => page.GotoAsync($"http://127.0.0.1:{DevToolsPortOf(next)}/json/list"));
        Assert.Contains("ERR_BLOCKED_BY_CLIENT", blocked.Message);

        // A mobile session needs a browser launched with its settings: a new one, and the warm one stays warm.
        var mobile = await client.SubmitAsync(new JsonObject { ["task"] = null, ["device"] = "mobile", ["isolation"] = "dedicated" }.ToJsonString());
        Assert.True(mobile.Status == HttpStatusCode.OK, $"{mobile.Status}: {mobile.Detail}");
        var mobileSession = mobile.R["id"]!.GetValue<string>();
        Assert.DoesNotContain(endpoints.Find(mobileSession)!.Port, new[] { warmPort, DevToolsPortOf(next) });
        Assert.Equal(1, host.Browsers.WarmDedicatedCount);

        // Closing the session ends its browser, not the warm one; the stopping host leaves none.
        var children = ProcessTree.Descendants(warm);
        Assert.NotEmpty(children);
        await client.CancelAsync(session);
        await Eventually.Until(() => Task.FromResult(DedicatedProcesses(hostId).Contains(warm) ? null : ""), Patience, "the session's browser to exit");
        await Eventually.Until(() => Task.FromResult(children.Any(ProcessTree.Alive) ? null : ""), Patience, "its zygotes, renderers and utility processes to exit");
        Assert.Contains(next, DedicatedProcesses(hostId));
        var folder = ProfileFolderOf(next);
        await host.DisposeAsync();
        Assert.Empty(ProcessTree.ChromiumOfHost(hostId));
        Assert.False(Directory.Exists(folder), folder);
        Directory.Delete(host.DataDir, recursive: true);
    }

    private static Task WarmDedicatedAsync(SessionGridHost host, int count) =>
        Eventually.Until(() => Task.FromResult(host.Browsers.WarmDedicatedCount == count ? "" : null), Patience, $"{count} warm dedicated browsers");

    /// <summary>The DevTools port a dedicated Chromium wrote into its profile folder.</summary>
    private static int DevToolsPortOf(int pid) =>
        int.Parse(File.ReadAllLines(Path.Combine(ProfileFolderOf(pid), "DevToolsActivePort"))[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The dedicated Chromium processes (each launched for one session) of a host instance.</summary>
    private static IReadOnlyList<int> DedicatedProcesses(string hostId) =>
        [.. ProcessTree.ChromiumOfHost(hostId).Where(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("--sessiongrid-process=", StringComparison.Ordinal))];

    /// <summary>The profile folder a dedicated Chromium process was launched with.</summary>
    private static string ProfileFolderOf(int pid)
    {
        const string Switch = "--user-data-dir=";
        var folder = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Single(a => a.StartsWith(Switch, StringComparison.Ordinal))[Switch.Length..];
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "sessiongrid-dedicated-"), folder);
        return folder;
    }
}
