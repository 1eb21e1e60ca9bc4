using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>A live-view viewer's mouse and keyboard input, played into a page with Playwright's mouse and keyboard.</summary>
internal static class LiveInputs
{
    /// <summary>The largest coordinate or wheel distance taken, in CSS pixels.</summary>
    public const double MaxCoordinate = 100_000;

    public const int MaxKeyLength = 64;
    public const int MaxTextLength = 10_000;

    /// <summary>Null when the input can be played, else why not.</summary>
    public static string? Problem(LiveInput input) => input switch
    {
        LiveMouse mouse when !Enum.IsDefined(mouse.Action) || !Enum.IsDefined(mouse.Button) => "unknown mouse action or button",
        LiveMouse mouse when !IsPoint(mouse.X, mouse.Y) => $"x and y must be numbers from 0 to {MaxCoordinate}",
        LiveWheel wheel when !IsPoint(wheel.X, wheel.Y) => $"x and y must be numbers from 0 to {MaxCoordinate}",
        LiveWheel wheel when !IsDistance(wheel.DeltaX) || !IsDistance(wheel.DeltaY) => $"deltaX and deltaY must be numbers from -{MaxCoordinate} to {MaxCoordinate}",
        LiveKey key when key.Key.Length is 0 or > MaxKeyLength => $"key must be a key name of 1 to {MaxKeyLength} characters",
        LiveText text when text.Text.Length is 0 or > MaxTextLength => $"text must be 1 to {MaxTextLength} characters",
        LiveMouse or LiveWheel or LiveKey or LiveText => null,
        _ => "unknown input",
    };

    /// <summary>
    /// Plays the input into the session's active page. Null when it took it; else whether the page is gone and what the
    /// page said (an unknown key, say).
    /// </summary>
    public static async Task<(bool PageGone, string Problem)?> TryPlayAsync(SessionPage page, LiveInput input)
    {
        try
        {
            await PlayAsync(await page.GetAsync(), input);
            return null;
        }
        catch (PlaywrightException ex)
        {
            return (false, "the page did not take the input: " + Actions.ActionRunner.Describe(ex));
        }
        catch (OperationCanceledException)
        {
            return (true, "the session's page is gone");
        }
    }

    /// <summary>Plays the input into <paramref name="page"/>; Playwright's exception when the page does not take it (an unknown key, say).</summary>
    private static async Task PlayAsync(IPage page, LiveInput input)
    {
        switch (input)
        {
            case LiveMouse mouse:
                var button = mouse.Button switch
                {
                    LiveMouseButton.Middle => MouseButton.Middle,
                    LiveMouseButton.Right => MouseButton.Right,
                    _ => MouseButton.Left,
                };
                await page.Mouse.MoveAsync((float)mouse.X, (float)mouse.Y);
                if (mouse.Action is LiveMouseAction.Down or LiveMouseAction.Click)
                {
                    await page.Mouse.DownAsync(new MouseDownOptions { Button = button });
                }

                if (mouse.Action is LiveMouseAction.Up or LiveMouseAction.Click)
                {
                    await page.Mouse.UpAsync(new MouseUpOptions { Button = button });
                }

                break;
            case LiveWheel wheel:
                await page.Mouse.MoveAsync((float)wheel.X, (float)wheel.Y);
                await page.Mouse.WheelAsync((float)wheel.DeltaX, (float)wheel.DeltaY);
                break;
            case LiveKey key:
                await page.Keyboard.PressAsync(key.Key);
                break;
            case LiveText text:
                await page.Keyboard.InsertTextAsync(text.Text);
                break;
        }
    }

    private static bool IsPoint(double x, double y) => x is >= 0 and <= MaxCoordinate && y is >= 0 and <= MaxCoordinate;

    private static bool IsDistance(double d) => d is >= -MaxCoordinate and <= MaxCoordinate;
}
