namespace SessionGrid.Contracts.Sessions;

/// <summary>A file uploaded to a session, for <c>uploadFile</c> actions to refer to by <see cref="Name"/>.</summary>
[GenerateSerializer, Alias("sg.SessionFile")]
public sealed record SessionFile(
    [property: Id(0)] string Name,
    [property: Id(1)] string ContentType,
    [property: Id(2)] byte[] Content)
{
    /// <summary>What the file is for, in its owner's words (the Task API's <c>file_purpose</c>); shown to the agent.</summary>
    [Id(3)] public string? Description { get; init; }
}

/// <summary>A stored file's description: its name, size, when it is removed (Unix ms) and what it is for.</summary>
[GenerateSerializer, Alias("sg.StoredFileInfo")]
public sealed record StoredFileInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] long Size,
    [property: Id(2)] long ExpiresAt)
{
    /// <summary>What the file is for, as its uploader said (<see cref="SessionFile.Description"/>); null when nobody said.</summary>
    [Id(3)] public string? Description { get; init; }
}
