namespace SessionGrid.Contracts.Sessions;

/// <summary>The browser device profile a session is opened with (viewport, user agent, touch).</summary>
[GenerateSerializer, Alias("sg.DeviceKind")]
public enum DeviceKind
{
    Desktop = 0,
    Mobile = 1,
    DesktopLarge = 2,
}
