using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Recording;

namespace SessionGrid.Grains.Artifacts;

/// <summary>
/// Where one session's artifacts go in the store (its downloads, the ZIP of them, its recording), how long they are
/// kept (<see cref="RecordingOptions.RetentionHours"/>, then the sweeper removes them), and the signed links that open
/// them without an API key.
/// </summary>
public sealed class SessionArtifacts(string sessionId, IArtifactStore store, ArtifactLinks links, IArtifactUrls urls, RecordingOptions options, TimeProvider clock)
{
    /// <summary>The scope of a session's downloaded files (and of the agent's captures, which are files of its downloads too).</summary>
    public static string DownloadsScope(string sessionId) => sessionId + "/downloads";

    /// <summary>The scope of the ZIP of a session's downloads, made when it is first asked for.</summary>
    public static string ArchiveScope(string sessionId) => sessionId + "/downloads-zip";

    /// <summary>The scope of a session's recording: its flushed segments, then the finished video.</summary>
    public static string RecordingScope(string sessionId) => sessionId + "/recording";

    public IArtifactStore Store => store;

    /// <summary>When an artifact stored now expires (Unix ms).</summary>
    public long ExpiresAt() => clock.GetUtcNow().Add(options.Retention).ToUnixTimeMilliseconds();

    public Task<IReadOnlyList<StoredFileInfo>> DownloadsAsync() => store.ListAsync(DownloadsScope(sessionId), CancellationToken.None);

    /// <summary>Stores the session's finished video and removes the segments it was joined from; when it expires (Unix ms).</summary>
    internal async Task<long> KeepRecordingAsync(byte[] video, IEnumerable<StoredSegment> segments)
    {
        var scope = RecordingScope(sessionId);
        var expiresAt = ExpiresAt();
        var format = segments.First().Format;
        await store.PutAsync(scope, format.FinalName, format.ContentType, video, expiresAt, CancellationToken.None);
        foreach (var segment in segments)
        {
            await store.DeleteAsync(scope, segment.Name, CancellationToken.None);
        }

        return expiresAt;
    }

    /// <summary>Keeps a downloaded file under <paramref name="name"/>; its description and the signed link that opens it (null when no host here serves one).</summary>
    public async Task<(StoredFileInfo File, string? Link)> KeepDownloadAsync(string name, byte[] content)
    {
        var file = await store.PutAsync(DownloadsScope(sessionId), name, "application/octet-stream", content, ExpiresAt(), CancellationToken.None);
        return (file, urls.Download(sessionId, name, links.Token(sessionId, ArtifactLinkKinds.Downloads)));
    }
}
