using Microsoft.Playwright;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Bench;

/// <summary>
/// A raw Chromium with its DevTools endpoint on 127.0.0.1, launched with SessionGrid's own switches as a persistent
/// context (like a dedicated session's browser): what a client of a plain Chromium connects to over CDP.
/// </summary>
public sealed class RawCdpChromium : IAsyncDisposable
{
    private readonly IBrowserContext _browser;
    private readonly string _profile;

    private RawCdpChromium(IBrowserContext browser, string profile, string endpoint)
    {
        _browser = browser;
        _profile = profile;
        Endpoint = endpoint;
    }

    /// <summary>The DevTools endpoint (<c>http://127.0.0.1:port</c>) that <c>ConnectOverCDPAsync</c> takes.</summary>
    public string Endpoint { get; }

    public static async Task<RawCdpChromium> StartAsync(IPlaywright playwright)
    {
        var profile = Directory.CreateTempSubdirectory("sessiongrid-bench-cdp-").FullName;
        var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumLocator.Find(null),
            Headless = true,
            ChromiumSandbox = !BenchRunner.IsRoot(),
            Args = [.. BenchRunner.Flags, "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1"],
        });
        var port = (await File.ReadAllLinesAsync(Path.Combine(profile, "DevToolsActivePort")))[0];
        return new RawCdpChromium(browser, profile, $"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        Directory.Delete(_profile, recursive: true);
    }
}
