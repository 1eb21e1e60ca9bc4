namespace SessionGrid.Contracts.Sessions;

/// <summary>How to open a session: the task it belongs to, its owner, device, and an optional start URL.</summary>
[GenerateSerializer, Alias("sg.SessionSpec")]
public sealed record SessionSpec(
    [property: Id(0)] string Owner,
    [property: Id(1)] DeviceKind Device,
    [property: Id(2)] string? StartUrl);
