using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Orleans.Concurrency;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Artifacts;

/// <summary>
/// Serves one session's artifacts from the store the node already uses, on whichever silo activates it, so a session's
/// files are there after its node is gone: a link's token is checked here (<see cref="ArtifactLinks"/>), bytes are
/// read in slices, and the ZIP of the downloads is made when first asked for (and again when the files changed).
/// Reads interleave; making a ZIP happens once at a time.
/// </summary>
[Reentrant]
public sealed class SessionArtifactsGrain(IArtifactStore store, ArtifactLinks links) : Grain, ISessionArtifactsGrain
{
    /// <summary>The largest slice one read answers, so no grain message grows with the artifact.</summary>
    public const int MaxSlice = 1 << 20;

    public const string ArchiveName = "downloads.zip";

    private Task<ArtifactReply>? _archiving;

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
                var archiving = _archiving ??= ArchiveAsync();
                try
                {
                    return await archiving;
                }
                finally
                {
                    _archiving = null;
                }

            default:
                return ArtifactReply.Refused(SessionRefusal.NotFound, "the session has no recording");
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
