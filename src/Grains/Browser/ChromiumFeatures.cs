namespace SessionGrid.Grains.Browser;

/// <summary>
/// The Chromium features every SessionGrid browser runs without. Chromium keeps only the last <c>--disable-features</c>
/// switch it is given, so SessionGrid's repeats the ones Playwright's launcher disables (a test checks them against the
/// bundled driver) and adds its own: the WebUI omnibox popups, which new-headless Chromium preloads for every browser
/// context in a renderer process of their own. No session ever shows an omnibox, and that renderer was more than half
/// of an idle session's memory (bench/RESULTS.md: 64 MB → 26 MB PSS per context).
/// </summary>
public static class ChromiumFeatures
{
    /// <summary>What Playwright's launcher disables (chromiumSwitches.ts, Playwright 1.64).</summary>
    public static readonly IReadOnlyList<string> PlaywrightDisables =
    [
        "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "DialMediaRouteProvider", "GlobalMediaControls",
        "HttpsUpgrades", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
        "BlockOriginHeaderModificationOnRedirect", "AvoidCorsURLLoaderRestartOnRedirect", "Translate", "AutoDeElevate",
        "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
    ];

    /// <summary>What SessionGrid disables on top: browser UI that only costs memory in a server.</summary>
    public static readonly IReadOnlyList<string> SessionGridDisables = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];

    /// <summary>The one <c>--disable-features</c> switch with both lists.</summary>
    public static string DisableSwitch { get; } = "--disable-features=" + string.Join(',', PlaywrightDisables.Concat(SessionGridDisables));
}
