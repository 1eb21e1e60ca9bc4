using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// Context options for each device kind, with a client's own settings on top. User agents name the real Chromium
/// version, without "Headless". Every context accepts downloads: the session keeps them.
/// </summary>
public static class DeviceProfiles
{
    public static BrowserNewContextOptions For(DeviceKind device, string chromiumVersion, BrowserSettings? settings = null)
    {
        var options = Devices(device, chromiumVersion);
        options.AcceptDownloads = true;
        if (settings is null)
        {
            return options;
        }

        options.ViewportSize = new ViewportSize
        {
            Width = settings.ViewportWidth ?? options.ViewportSize!.Width,
            Height = settings.ViewportHeight ?? options.ViewportSize!.Height,
        };
        options.UserAgent = settings.UserAgent ?? options.UserAgent;
        options.Locale = settings.Locale;
        options.TimezoneId = settings.TimezoneId;
        return options;
    }

    private static BrowserNewContextOptions Devices(DeviceKind device, string chromiumVersion) => device switch
    {
        DeviceKind.Mobile => new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 412, Height = 915 },
            DeviceScaleFactor = 2.625f,
            IsMobile = true,
            HasTouch = true,
            UserAgent = $"Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chromiumVersion} Mobile Safari/537.36",
        },
        DeviceKind.DesktopLarge => Desktop(1920, 1080, chromiumVersion),
        _ => Desktop(1280, 800, chromiumVersion),
    };

    private static BrowserNewContextOptions Desktop(int width, int height, string chromiumVersion) => new()
    {
        ViewportSize = new ViewportSize { Width = width, Height = height },
        UserAgent = $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chromiumVersion} Safari/537.36",
    };
}
