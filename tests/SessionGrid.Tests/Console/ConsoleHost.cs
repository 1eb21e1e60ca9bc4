using Microsoft.Playwright;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Console;

/// <summary>
/// A host with an admin key and an agent on a scripted model that has nothing to say (so an agent task fails), no
/// request-rate limit in the console's polling way, and a person's browser to drive the console with.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public SessionGridHost Host { get; private set; } = null!;
    public ScriptedModel Model { get; private set; } = null!;
    public ViewerBrowser Browser { get; } = new();

    /// <summary>Where the tests write a screenshot of each page (the test output folder; not committed).</summary>
    public static string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    public async ValueTask InitializeAsync()
    {
        Model = await ScriptedModel.StartAsync();
        var settings = Model.Settings();
        settings["SessionGrid:AdminKeys"] = AdminClient.Key;
        settings["SessionGrid:Limits:RequestsPerSecond"] = "0";
        Host = await SessionGridHost.StartAsync(settings: settings);
        await Browser.InitializeAsync();
        Directory.CreateDirectory(ScreenshotDir);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Host.DisposeAsync();
        await Model.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Host.DataDir, recursive: true);
    }

    /// <summary>Runs <paramref name="use"/> on a console page at 1280 × 800 (or the size given), not yet signed in.</summary>
    public Task WithConsoleAsync(Func<IPage, Task> use, int width = 1280, int height = 800) =>
        Browser.WithPageAsync(async page =>
        {
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(Host.BaseUrl + "/console");
            await page.Locator("body[data-ready='true']").WaitForAsync();
            await use(page);
        }, width, height);

    /// <summary>Signs in with <paramref name="key"/> by the keyboard alone, as a person without a mouse would.</summary>
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.Locator("#key").FocusAsync();
        await page.Keyboard.TypeAsync(key);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#nav").WaitForAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = false });
}
