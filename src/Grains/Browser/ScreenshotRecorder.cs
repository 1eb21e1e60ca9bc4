using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Artifacts;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// Takes one command's screenshots as its <see cref="ScreenshotCapture"/> asks: after each step (every step, or only
/// steps that changed the URL) and once at the end. A screenshot that cannot be taken (the page is gone) is skipped:
/// it never fails the command.
/// </summary>
internal sealed class ScreenshotRecorder(ScreenshotCapture capture, IArtifactStore artifacts, Func<Task<IPage>> page)
{
    private readonly List<string> _names = [];
    private string? _lastUrl;

    public IReadOnlyList<string> Names => _names;

    /// <summary>Remembers the URL the command starts on, so the first step's navigation is seen.</summary>
    public async Task StartAsync() => _lastUrl = (await page()).Url;

    /// <summary>After a step: the screenshot's name when the mode took one, else null.</summary>
    public async Task<string?> AfterStepAsync()
    {
        var current = await page();
        var navigated = current.Url != _lastUrl;
        _lastUrl = current.Url;
        return capture.Mode == ScreenshotMode.EveryStep || (capture.Mode == ScreenshotMode.OnNavigation && navigated)
            ? await TakeAsync(current, fullPage: false)
            : null;
    }

    /// <summary>At the end of the command: the final screenshot, in final-only mode.</summary>
    public async Task FinishAsync()
    {
        if (capture.Mode == ScreenshotMode.FinalOnly)
        {
            await TakeAsync(await page(), capture.FullPage);
        }
    }

    private async Task<string?> TakeAsync(IPage current, bool fullPage)
    {
        byte[] png;
        try
        {
            png = await current.ScreenshotAsync(new PageScreenshotOptions { FullPage = fullPage, Type = ScreenshotType.Png, Timeout = 15_000 });
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            return null;
        }

        var name = $"screenshot-{_names.Count + 1:00}.png";
        await artifacts.PutAsync(capture.Scope, name, "image/png", png, capture.ExpiresAt, CancellationToken.None);
        _names.Add(name);
        return name;
    }
}
