namespace SessionGrid.Grains.Browser;

/// <summary>Settings under <c>SessionGrid:Browser</c>.</summary>
public sealed class BrowserOptions
{
    public const string Section = "SessionGrid:Browser";

    /// <summary>Chromium to launch; when empty, the first of /usr/bin/chromium, chromium, chromium-browser, google-chrome found.</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>Ready desktop contexts kept open so that opening a session does not wait for one.</summary>
    public int WarmContexts { get; set; } = 2;

    /// <summary>Contexts (sessions plus warm ones) per shared Chromium process before another process is launched.</summary>
    public int MaxContextsPerProcess { get; set; } = 16;

    /// <summary>How long a Chromium launch may take.</summary>
    public int LaunchTimeoutSeconds { get; set; } = 30;
}
