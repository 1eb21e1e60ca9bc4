namespace SessionGrid.Contracts.Sessions;

/// <summary>What a session leaves behind for its client to fetch.</summary>
[GenerateSerializer, Alias("sg.ArtifactKind")]
public enum ArtifactKind
{
    /// <summary>The session's video.</summary>
    Recording = 0,
    /// <summary>One file a page of the session downloaded, by its (safe) name.</summary>
    Download = 1,
    /// <summary>A ZIP of every file the session's pages downloaded.</summary>
    DownloadArchive = 2,
}

/// <summary>
/// An artifact that is there to be read: its stored name (what <see cref="ISessionArtifactsGrain.ReadAsync"/> takes),
/// content type and size; or, when <see cref="Reply"/> is refused, why not (<c>Forbidden</c>: the link's token does not
/// open it; <c>NotFound</c>: there is no such artifact, or it expired).
/// </summary>
[GenerateSerializer, Alias("sg.ArtifactReply")]
public sealed record ArtifactReply(
    [property: Id(0)] SessionReply Reply,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? ContentType,
    [property: Id(3)] long Size)
{
    public static ArtifactReply Refused(SessionRefusal refusal, string reason) => new(SessionReply.Rejected(refusal, reason), null, null, 0);
}

/// <summary>The files a session's pages downloaded, with a token that opens them by link (<see cref="ArtifactLinkKinds.Downloads"/>).</summary>
[GenerateSerializer, Alias("sg.DownloadListing")]
public sealed record DownloadListing([property: Id(0)] string Token, [property: Id(1)] IReadOnlyList<StoredFileInfo> Files);

/// <summary>The kinds of link a signed token opens: one for the recording, one for the downloads (each file and their ZIP).</summary>
public static class ArtifactLinkKinds
{
    public const string Recording = "recording";
    public const string Downloads = "downloads";

    public static string Of(ArtifactKind kind) => kind == ArtifactKind.Recording ? Recording : Downloads;
}

/// <summary>
/// A session's artifacts as its clients read them (key: session id), on any silo, long after the session ended: a
/// signed link's check, the artifact's description, and its bytes in slices (so a client can ask for a range of a
/// large video). The caller of <see cref="OpenAsync"/> and <see cref="DownloadsAsync"/> has checked that the session is
/// its own; <see cref="OpenLinkAsync"/> checks the link's token itself.
/// </summary>
[Alias("sg.ISessionArtifactsGrain")]
public interface ISessionArtifactsGrain : IGrainWithStringKey
{
    /// <summary>The artifact a link names, once its <paramref name="token"/> is checked (signed for this session and kind, not expired).</summary>
    [Alias("OpenLink")]
    Task<ArtifactReply> OpenLinkAsync(ArtifactKind kind, string? name, string token);

    /// <summary>The artifact, for a caller that proved it owns the session (<paramref name="name"/>: a download's name, else null).</summary>
    [Alias("Open")]
    Task<ArtifactReply> OpenAsync(ArtifactKind kind, string? name);

    /// <summary>Up to <paramref name="count"/> bytes of an opened artifact from <paramref name="offset"/>; fewer at its end, none past it.</summary>
    [Alias("Read")]
    Task<byte[]> ReadAsync(ArtifactKind kind, string name, long offset, int count);

    /// <summary>The session's downloaded files (unexpired, by name) and a token that opens their links.</summary>
    [Alias("Downloads")]
    Task<DownloadListing> DownloadsAsync();
}
