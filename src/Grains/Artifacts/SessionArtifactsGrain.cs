using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Recording;

namespace SessionGrid.Grains.Artifacts;

/// <summary>
/// Serves one session's artifacts from the store the node already uses, on whichever silo activates it, so a session's
/// files are there after its node is gone: a link's token is checked here (<see cref="ArtifactLinks"/>), bytes are
/// read in slices, the ZIP of the downloads is made when first asked for (and again when the files changed), and the
/// video of a session whose node was lost before it finished it is joined from the segments that node stored. Reads
/// interleave; making a ZIP or a video happens once at a time.
/// </summary>
[Reentrant]
public sealed class SessionArtifactsGrain(
    IArtifactStore store, ArtifactLinks links, IArtifactUrls urls, Recordings recordings, IOptions<RecordingOptions> options, TimeProvider clock)
    : Grain, ISessionArtifactsGrain
{
    /// <summary>The largest slice one read answers, so no grain message grows with the artifact.</summary>
    public const int MaxSlice = 1 << 20;

    public const string ArchiveName = "downloads.zip";

    /// <summary>The ZIP or the video being made now: a second request waits for the same one.</summary>
    private readonly Dictionary<ArtifactKind, Task<ArtifactReply>> _making = [];

    private string SessionId => this.GetPrimaryKeyString();

    public Task<ArtifactReply> OpenLinkAsync(ArtifactKind kind, string? name, string token) =>
        links.Check(SessionId, ArtifactLinkKinds.Of(kind), token) switch
        {
            LinkCheck.Opens => OpenAsync(kind, name),
            LinkCheck.Expired => Task.FromResult(ArtifactReply.Refused(SessionRefusal.Forbidden, "this link has expired: ask for the session again for a new one")),
            _ => Task.FromResult(ArtifactReply.Refused(SessionRefusal.Forbidden, "this link's token does not open this session's " + ArtifactLinkKinds.Of(kind))),
        };

    public async Task<ArtifactReply> OpenAsync(ArtifactKind kind, string? name)
    {
        switch (kind)
        {
            case ArtifactKind.Download when name is not null:
                return await DescribeAsync(SessionArtifacts.DownloadsScope(SessionId), name)
                    ?? ArtifactReply.Refused(SessionRefusal.NotFound, $"the session has no downloaded file named '{Shorten(name)}'");
            case ArtifactKind.DownloadArchive:
                return await OneAtATimeAsync(kind, ArchiveAsync);
            case ArtifactKind.Recording:
                return await OneAtATimeAsync(kind, RecordingAsync);
            default:
                return ArtifactReply.Refused(SessionRefusal.NotFound, "a downloaded file is named by its name");
        }
    }

    private async Task<ArtifactReply> OneAtATimeAsync(ArtifactKind kind, Func<Task<ArtifactReply>> make)
    {
        if (!_making.TryGetValue(kind, out var making))
        {
            _making[kind] = making = make();
        }

        try
        {
            return await making;
        }
        finally
        {
            _making.Remove(kind);
        }
    }

    public Task<byte[]> ReadAsync(ArtifactKind kind, string name, long offset, int count) =>
        store.ReadAsync(Scope(kind), name, offset, Math.Clamp(count, 0, MaxSlice), CancellationToken.None);

    public async Task<DownloadListing> DownloadsAsync() =>
        new(links.Token(SessionId, ArtifactLinkKinds.Downloads), await store.ListAsync(SessionArtifacts.DownloadsScope(SessionId), CancellationToken.None));

    /// <summary>
    /// The ZIP of the session's downloads: the stored one while it holds the files there are now (its description is
    /// their fingerprint), else a new one, kept as long as the longest-kept of its files.
    /// </summary>
    private async Task<ArtifactReply> ArchiveAsync()
    {
        var scope = SessionArtifacts.ArchiveScope(SessionId);
        var files = await store.ListAsync(SessionArtifacts.DownloadsScope(SessionId), CancellationToken.None);
        if (files.Count == 0)
        {
            return ArtifactReply.Refused(SessionRefusal.NotFound, "the session downloaded no files");
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", files.Select(f => $"{f.Name}\t{f.Size}\t{f.ExpiresAt}")))));
        if (await store.DescribeAsync(scope, ArchiveName, CancellationToken.None) is { } made && made.Info.Description == fingerprint)
        {
            return Opened(made);
        }

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                if (await store.GetAsync(SessionArtifacts.DownloadsScope(SessionId), file.Name, CancellationToken.None) is not { } stored)
                {
                    continue;
                }

                var entry = archive.CreateEntry(file.Name, CompressionLevel.Fastest);
                using var writer = entry.Open();
                writer.Write(stored.Content);
            }
        }

        var info = await store.PutAsync(scope, ArchiveName, "application/zip", zip.ToArray(), files.Max(f => f.ExpiresAt), CancellationToken.None, fingerprint);
        return Opened(new ArtifactDescription(info, "application/zip"));
    }

    /// <summary>
    /// The finished video; while it is still to come (the session records, its recorder finishes) a <c>Conflict</c>;
    /// when its node was lost before it finished it, the video joined now from the segments stored so far.
    /// </summary>
    private async Task<ArtifactReply> RecordingAsync()
    {
        var scope = SessionArtifacts.RecordingScope(SessionId);
        foreach (var format in VideoFormat.All)
        {
            if (await DescribeAsync(scope, format.FinalName) is { } finished)
            {
                return finished;
            }
        }

        var task = await GrainFactory.GetGrain<ITaskGrain>(SessionId).GetAsync(0, includeEvents: false);
        if (task?.Recording is null)
        {
            return ArtifactReply.Refused(SessionRefusal.NotFound, "the session has no recording");
        }

        if (task.RecordingPending)
        {
            return ArtifactReply.Refused(SessionRefusal.Conflict, task.Phase.IsFinished()
                ? "the recording is being finished: ask again in a few seconds"
                : "the session is still recording: its video is there once the session ended");
        }

        var segments = RecordingVideo.Segments((await store.ListAsync(scope, CancellationToken.None)).Select(f => f.Name));
        if (segments.Count == 0 || recordings.Ffmpeg is not { } ffmpeg)
        {
            return ArtifactReply.Refused(SessionRefusal.NotFound, segments.Count == 0
                ? "the session has no recording (nothing was recorded, or it expired)"
                : "the session's recording cannot be finished on this node: it has no ffmpeg");
        }

        var folder = Recordings.NewFolder(SessionId);
        try
        {
            foreach (var segment in segments)
            {
                var stored = await store.GetAsync(scope, segment.Name, CancellationToken.None);
                await File.WriteAllBytesAsync(Path.Combine(folder, segment.Name), stored?.Content ?? []);
            }

            // One format: a node's segments are all of the format it was set to (the last one's, should settings change).
            var format = segments[^1].Format;
            segments = [.. segments.Where(s => s.Format == format)];
            var output = Path.Combine(folder, format.FinalName);
            if (await RecordingVideo.AssembleAsync(ffmpeg, folder, segments, output, CancellationToken.None) is { } failed)
            {
                return ArtifactReply.Refused(SessionRefusal.NotFound, $"the session's recording could not be finished: {failed}");
            }

            var video = await File.ReadAllBytesAsync(output);
            var artifacts = new SessionArtifacts(SessionId, store, links, urls, options.Value, clock);
            var expiresAt = await artifacts.KeepRecordingAsync(video, segments);
            await GrainFactory.GetGrain<ITaskGrain>(SessionId).RecordingAsync(new RecordingProgress
            {
                Finished = true,
                Size = video.Length,
                DurationMs = segments.Sum(s => s.DurationMs),
                ExpiresAt = expiresAt,
            });
            return new ArtifactReply(SessionReply.Ok, format.FinalName, format.ContentType, video.Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<ArtifactReply?> DescribeAsync(string scope, string name) =>
        await store.DescribeAsync(scope, name, CancellationToken.None) is { } found ? Opened(found) : null;

    private static ArtifactReply Opened(ArtifactDescription found) => new(SessionReply.Ok, found.Info.Name, found.ContentType, found.Info.Size);

    private string Scope(ArtifactKind kind) => kind switch
    {
        ArtifactKind.Download => SessionArtifacts.DownloadsScope(SessionId),
        ArtifactKind.DownloadArchive => SessionArtifacts.ArchiveScope(SessionId),
        _ => SessionArtifacts.RecordingScope(SessionId),
    };

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
