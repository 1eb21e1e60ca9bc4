namespace SessionGrid.Contracts.Sessions;

/// <summary>When a command's screenshots are taken: once at its end, after every step, or after steps that changed the URL.</summary>
[GenerateSerializer, Alias("sg.ScreenshotMode")]
public enum ScreenshotMode
{
    FinalOnly = 0,
    EveryStep = 1,
    OnNavigation = 2,
}

/// <summary>
/// Screenshots a command takes of its page, stored as PNG artifacts in <paramref name="Scope"/> named
/// <c>screenshot-01.png</c>, <c>screenshot-02.png</c>, … until <paramref name="ExpiresAt"/> (Unix ms).
/// <paramref name="FullPage"/> applies to the final screenshot; step screenshots show the viewport.
/// </summary>
[GenerateSerializer, Alias("sg.ScreenshotCapture")]
public sealed record ScreenshotCapture(
    [property: Id(0)] ScreenshotMode Mode,
    [property: Id(1)] bool FullPage,
    [property: Id(2)] string Scope,
    [property: Id(3)] long ExpiresAt);
