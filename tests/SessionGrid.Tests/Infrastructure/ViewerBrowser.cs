using Microsoft.Playwright;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// The tests' own Chromium, as a person's browser opening a live view: the OS package's Chromium, headless, launched
/// like the server's (<c>--no-sandbox</c> only as root), closed with its fixture.
/// </summary>
public sealed class ViewerBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumLocator.Find(null) ?? throw new InvalidOperationException("No Chromium to view the live view with."),
            Headless = true,
            ChromiumSandbox = !Environment.IsPrivilegedProcess,
            Args = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// Runs <paramref name="use"/> on a fresh page in a context of its own (a 1400 × 1000 window, so a 1280 × 800 frame
    /// shows unscaled, unless <paramref name="width"/> and <paramref name="height"/> say otherwise), then closes the
    /// context, as a person closing their browser window.
    /// </summary>
    public async Task WithPageAsync(Func<IPage, Task> use, int width = 1400, int height = 1000)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        try
        {
            await use(await context.NewPageAsync());
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
