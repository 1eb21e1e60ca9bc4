namespace SessionGrid.Grains.Browser;

/// <summary>What SessionGrid shows of a Playwright (or browser) error message.</summary>
internal static class PlaywrightErrors
{
    /// <summary>The message's first line, without the call log Playwright appends below it.</summary>
    public static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
