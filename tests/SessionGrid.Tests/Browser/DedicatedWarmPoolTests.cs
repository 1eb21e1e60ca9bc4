using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Tests.Cdp;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Browser;

/// <summary>
/// The pool of dedicated browsers launched ahead: it keeps its idle size until dedicated sessions are opened, then grows
/// to its full size; a burst that drains it to a quarter refills at once, without waiting for the host's quiet, with at
/// most <c>WarmRefillLaunches</c> launches at a time; and once no dedicated session opened for
/// <c>WarmDedicatedIdleSeconds</c> it closes its browsers beyond the idle size. Sessions that find it empty grow its in-use
/// size, up to <c>WarmDedicatedMax</c>, until it is idle again. A warm browser's page is watched for
/// downloads while it waits, so a session that takes it keeps what its page downloads.
/// </summary>
public sealed class DedicatedWarmPoolTests(TestPages pages)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_burst_that_drains_the_pool_refills_it_under_load_one_launch_at_a_time()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:WarmDedicated"] = "8",
            ["SessionGrid:Browser:WarmDedicatedMax"] = "8",
            ["SessionGrid:Browser:WarmDedicatedIdle"] = "1",
            // The host is never quiet long enough: every refill here is one the low-water mark started.
            ["SessionGrid:Browser:WarmRefillQuietMs"] = "600000",
            ["SessionGrid:Browser:WarmRefillLaunches"] = "1",
            ["SessionGrid:Browser:MaxConcurrentLaunches"] = "2",
        });
        var client = host.Client();
        var peakRefills = 0;
        async Task WarmAsync(int count) => await Eventually.Until(() =>
        {
            peakRefills = Math.Max(peakRefills, host.Browsers.RefillLaunchesInFlight);
            return Task.FromResult(host.Browsers.WarmDedicatedCount == count && host.Browsers.DedicatedLaunchesInFlight == 0 ? "" : null);
        }, Patience, $"{count} warm dedicated browsers");

        // At start: the idle size.
        await WarmAsync(1);
        Assert.Equal(1, host.Browsers.WarmDedicatedTarget);

        // A dedicated session takes it: the pool is in use (8), empty, at its low-water mark (a quarter: 2) and refills
        // without the quiet, up to just above the mark (the rest would wait for a quiet that never comes).
        await CdpSteps.OpenDedicatedAsync(client, null);
        Assert.Equal(8, host.Browsers.WarmDedicatedTarget);
        await WarmAsync(3);

        // A burst of three drains it again: each takes a warm browser, and the pool refills as before.
        var burst = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CdpSteps.OpenDedicatedAsync(client, null)));
        Assert.Equal(3, burst.Select(b => b.Session).Distinct().Count());
        await WarmAsync(3);
        Assert.InRange(peakRefills, 1, 1);
        Assert.True(host.Browsers.WarmRefillLaunches >= 6, $"{host.Browsers.WarmRefillLaunches} refills");
    }

    [Fact]
    public async Task Sessions_that_find_the_pool_empty_get_the_next_launched_browser_and_it_shrinks_back_when_idle()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:WarmDedicated"] = "3",
            // Its size is what this test checks, not its growth (the next test).
            ["SessionGrid:Browser:WarmDedicatedMax"] = "3",
            ["SessionGrid:Browser:WarmDedicatedIdle"] = "1",
            ["SessionGrid:Browser:WarmDedicatedIdleSeconds"] = "15",
            ["SessionGrid:Browser:WarmRefillQuietMs"] = "0",
            ["SessionGrid:Browser:MaxConcurrentLaunches"] = "2",
        });
        var client = host.Client();
        await Eventually.Until(() => Task.FromResult(host.Browsers.WarmDedicatedCount == 1 ? "" : null), Patience, "the idle pool");

        // Three at once: one takes the warm browser, two wait for launches (at most two at a time) and get them.
        var sessions = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CdpSteps.OpenDedicatedAsync(client, null)));
        Assert.Equal(3, sessions.Select(s => s.Session).Distinct().Count());

        // In use, the pool grows to its full size, each browser a process of its own beside the sessions'.
        await Eventually.Until(() => Task.FromResult(host.Browsers.WarmDedicatedCount == 3 ? "" : null), Patience, "the pool in use");
        Assert.Equal(6, DedicatedProcesses(host));

        // No dedicated session for the idle time: back to one warm browser, the others closed.
        await Eventually.Until(
            () => Task.FromResult(host.Browsers.WarmDedicatedTarget == 1 && host.Browsers.WarmDedicatedCount == 1 && DedicatedProcesses(host) == 4 ? "" : null),
            Patience, "the pool back at its idle size");
    }

    [Fact]
    public async Task A_pool_that_sessions_find_empty_grows_up_to_its_most_and_forgets_it_once_idle()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:WarmDedicated"] = "1",
            ["SessionGrid:Browser:WarmDedicatedMax"] = "3",
            ["SessionGrid:Browser:WarmDedicatedIdle"] = "1",
            ["SessionGrid:Browser:WarmDedicatedIdleSeconds"] = "10",
            ["SessionGrid:Browser:WarmRefillQuietMs"] = "0",
            ["SessionGrid:Browser:WarmRefillLaunches"] = "1",
            ["SessionGrid:Browser:MaxConcurrentLaunches"] = "1",
        });
        var client = host.Client();
        await WarmAsync(host, 1, "the idle pool");
        Assert.Equal((1, 1), (host.Browsers.WarmDedicatedTarget, host.Browsers.WarmDedicatedInUse));

        // Six at once: one takes the warm browser, the others find the pool empty and wait for launches, one at a time;
        // each that found it empty adds one to its in-use size, which stops at the most (3).
        var sessions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CdpSteps.OpenDedicatedAsync(client, null)));
        Assert.Equal(6, sessions.Select(s => s.Session).Distinct().Count());
        Assert.Equal((3, 3), (host.Browsers.WarmDedicatedTarget, host.Browsers.WarmDedicatedInUse));
        await WarmAsync(host, 3, "the grown pool");

        // Idle for WarmDedicatedIdleSeconds: back to one warm browser, and the in-use size is WarmDedicated again.
        await Eventually.Until(() => Task.FromResult(host.Browsers.WarmDedicatedCount == 1 && host.Browsers.WarmDedicatedInUse == 1 ? "" : null),
            Patience, "the pool idle, its growth forgotten");

        // In use again (a session takes the warm browser): the pool keeps the one it started with.
        await CdpSteps.OpenDedicatedAsync(client, null);
        await WarmAsync(host, 1, "the pool in use at its first size");
        Assert.Equal((1, 1), (host.Browsers.WarmDedicatedTarget, host.Browsers.WarmDedicatedInUse));
    }

    [Fact]
    public async Task A_session_on_a_warm_browser_keeps_and_announces_what_its_page_downloads()
    {
        await using var host = await WithOneWarmBrowserAsync(("SessionGrid:Downloads:MaxBytes", "100000"));
        var client = host.Client();
        var refills = host.Browsers.WarmRefillLaunches;

        var (session, _) = await CdpSteps.OpenDedicatedAsync(client, DownloadPages.Page(pages, "/dl/file/warm.csv?size=1000", "/dl/slow?size=100000000"));
        // It took the warm browser: the pool launched another in its place.
        await Eventually.Until(() => Task.FromResult(host.Browsers.WarmRefillLaunches > refills ? "" : null), Patience, "a refill after the take");

        await ProfileSteps.RunAsync(client, session, "click", new JsonObject { ["selector"] = "#link0" });
        var landed = await Eventually.Until(async () =>
            (await client.GetAsync(session)).R["events"]!.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>() == "download")?["payload"],
            Patience, "the download event");
        Assert.Equal("warm.csv", landed["name"]!.GetValue<string>());
        Assert.Equal(1000, landed["size"]!.GetValue<long>());

        // The warm page's download progress is heard too: a download passing the limit is cancelled while it runs (sent
        // whole, 100 MB at the test server's pace would take longer than the test waits).
        await ProfileSteps.RunAsync(client, session, "click", new JsonObject { ["selector"] = "#link1" });
        await Eventually.Until(async () =>
            (await client.GetAsync(session)).R["events"]!.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>() == "download_refused")?["payload"],
            Patience, "the refused download");
    }

    [Fact]
    public async Task A_warm_browser_has_made_its_first_request_before_a_session_takes_it_and_the_session_sees_none_of_it()
    {
        await using var host = await WithOneWarmBrowserAsync();
        Assert.Equal(1, host.Browsers.WarmedUp);

        var (taken, cdpUrl) = await CdpSteps.OpenDedicatedAsync(host.Client(), null);
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await CdpSteps.ConnectAsync(playwright, cdpUrl);
        var page = CdpSteps.SessionPage(browser);
        Assert.Equal("about:blank", page.Url);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => history.length"));

        // Its own DevTools port, which the warm-up asked, is refused to its page like any other (CdpTests checks the rest).
        var port = host.Services.GetRequiredService<IDevToolsEndpoints>().Find(taken)!.Port;
        Assert.Equal("blocked", await page.EvaluateAsync<string>(
            "url => fetch(url, { mode: 'no-cors' }).then(() => 'reached', () => 'blocked')", $"http://127.0.0.1:{port}/json/version"));
        await browser.CloseAsync();
    }

    /// <summary>A host whose dedicated pool keeps one browser (in use and idle alike), once that browser is ready.</summary>
    private static async Task<SessionGridHost> WithOneWarmBrowserAsync(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["SessionGrid:Browser:WarmDedicated"] = "1",
            ["SessionGrid:Browser:WarmDedicatedIdle"] = "1",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        var host = await SessionGridHost.StartAsync(settings: settings);
        try
        {
            await WarmAsync(host, 1, "the warm browser");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the pool holds <paramref name="count"/> ready browsers and launches none.</summary>
    private static Task WarmAsync(SessionGridHost host, int count, string what) => Eventually.Until(() => Task.FromResult(
        host.Browsers.WarmDedicatedCount == count && host.Browsers.DedicatedLaunchesInFlight == 0 ? "" : null), Patience, what);

    private static int DedicatedProcesses(SessionGridHost host) =>
        ProcessTree.ChromiumOfHost(host.Browsers.HostId).Count(pid =>
            File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("--sessiongrid-process=", StringComparison.Ordinal));
}
