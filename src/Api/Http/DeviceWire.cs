using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Http;

/// <summary>
/// The <c>device</c> a session emulates, as the Task API and the Browser Session API both write it:
/// <c>desktop</c> (the default), <c>mobile</c> or <c>desktop-lg</c>.
/// </summary>
public static class DeviceWire
{
    public const string Invalid = "device must be one of desktop, mobile, desktop-lg";

    /// <summary>The device's wire name.</summary>
    public static string Name(DeviceKind device) => device switch
    {
        DeviceKind.Mobile => "mobile",
        DeviceKind.DesktopLarge => "desktop-lg",
        _ => "desktop",
    };

    /// <summary>The device a request names (absent: desktop); null for a name that is none of them.</summary>
    public static DeviceKind? Parse(string? device) => device switch
    {
        null or "desktop" => DeviceKind.Desktop,
        "mobile" => DeviceKind.Mobile,
        "desktop-lg" => DeviceKind.DesktopLarge,
        _ => null,
    };
}
