using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionGrid.Grains.Browser;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Browser;

/// <summary>
/// The warm pool gives sessions their context without waiting, and takes its contexts back in the quiet between the
/// host's work (at once when it runs low); Chromium runs without browser UI an idle session would pay for.
/// </summary>
public sealed partial class WarmPoolTests(TestPages pages)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_pool_refills_only_in_the_quiet_while_above_its_low_water_mark_and_at_once_below_it()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:WarmContexts"] = "4",
            ["SessionGrid:Browser:WarmRefillQuietMs"] = "4000",
        });
        var client = host.Client();
        await WarmCountAsync(host, 4);

        // One session taken: the pool (3) is above its low-water mark (1), and actions every 200 ms keep the host busy
        // (the quiet it waits for is 4 s, so even a slow request on a loaded machine leaves no quiet gap between them).
        var busy = await client.OpenSessionAsync(pages.Url("/"));
        Assert.Equal(3, host.Browsers.WarmCount);
        for (var i = 0; i < 12; i++)
        {
            await RunAsync(client, busy);
            Assert.Equal(3, host.Browsers.WarmCount);
            await Task.Delay(200);
        }

        // Quiet: it refills.
        await WarmCountAsync(host, 4);

        // Three more taken at once: the pool is at its low-water mark and refills while the host is still busy, up to
        // just above the mark; the rest waits for the quiet again.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.OpenSessionAsync()));
        var refilledWhileBusy = false;
        for (var i = 0; i < 25; i++)
        {
            await RunAsync(client, busy);
            Assert.True(host.Browsers.WarmCount <= 2, $"the pool refilled to {host.Browsers.WarmCount} while the host was busy");
            refilledWhileBusy |= host.Browsers.WarmCount == 2;
            await Task.Delay(200);
        }

        Assert.True(refilledWhileBusy, "the pool did not refill at its low-water mark while the host was busy");
        await WarmCountAsync(host, 4);
    }

    [Fact]
    public async Task An_idle_session_costs_one_renderer_and_Chromium_starts_no_renderer_for_browser_UI()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["SessionGrid:Browser:WarmContexts"] = "0" });
        var client = host.Client();
        var sessions = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.OpenSessionAsync(pages.Url("/"))));
        foreach (var session in sessions)
        {
            await RunAsync(client, session);
        }

        var renderers = ProcessTree.ChromiumOfHost(host.Browsers.HostId).SelectMany(ProcessTree.Descendants).Distinct()
            .Select(pid => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '))
            .Where(command => command.Contains("--type=renderer", StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(renderers, command => command.Contains("--top-chrome-webui", StringComparison.Ordinal));

        // One renderer per session's page, and at most Chromium's one spare renderer besides.
        Assert.InRange(renderers.Count, sessions.Length, sessions.Length + 1);
    }

    [Fact]
    public void SessionGrid_disables_every_feature_Playwright_disables_besides_its_own()
    {
        // Chromium keeps the last --disable-features switch only: SessionGrid's must carry the bundled driver's list.
        var driver = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, ".playwright", "package", "lib", "coreBundle.js"));
        var list = DisabledFeaturesList().Match(driver);
        Assert.True(list.Success, "Playwright's driver no longer declares disabledFeatures as expected");
        var playwrights = QuotedName().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(playwrights);
        Assert.Equal(playwrights.Order(), ChromiumFeatures.PlaywrightDisables.Order());

        var features = ChromiumFeatures.DisableSwitch["--disable-features=".Length..].Split(',');
        Assert.Superset(new HashSet<string>(features), new HashSet<string>([.. playwrights, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]));
    }

    private static Task RunAsync(TaskApiClient client, string session) =>
        ProfileSteps.RunAsync(client, session, "evaluate_js", new JsonObject { ["js"] = "document.title" });

    private static Task WarmCountAsync(SessionGridHost host, int count) =>
        Eventually.Until(() => Task.FromResult(host.Browsers.WarmCount == count ? "" : null), Patience, $"{count} warm contexts");

    [GeneratedRegex(@"disabledFeatures\s*=\s*\[(.*?)\]", RegexOptions.Singleline)]
    private static partial Regex DisabledFeaturesList();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();
}
