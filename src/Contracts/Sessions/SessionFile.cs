namespace SessionGrid.Contracts.Sessions;

/// <summary>A file uploaded to a session, for <c>uploadFile</c> actions to refer to by <see cref="Name"/>.</summary>
[GenerateSerializer, Alias("sg.SessionFile")]
public sealed record SessionFile(
    [property: Id(0)] string Name,
    [property: Id(1)] string ContentType,
    [property: Id(2)] byte[] Content);

/// <summary>A stored file's description: its name, size and when it is removed (Unix ms).</summary>
[GenerateSerializer, Alias("sg.StoredFileInfo")]
public sealed record StoredFileInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] long Size,
    [property: Id(2)] long ExpiresAt);
