using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Artifacts;

/// <summary>A stored artifact's bytes with its description.</summary>
public sealed record StoredArtifact(StoredFileInfo Info, string ContentType, byte[] Content);

/// <summary>A stored artifact's description and content type, without its bytes.</summary>
public sealed record ArtifactDescription(StoredFileInfo Info, string ContentType);

/// <summary>
/// Files, screenshots and PDFs that outlive one call, grouped by scope (a session id, a task id) and named uniquely
/// within it. Every artifact has an expiry; expired ones read as absent and are removed by the sweeper.
/// The embedded store keeps them in the SQLite file; cluster mode in PostgreSQL.
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// Stores (or replaces) an artifact, to expire at <paramref name="expiresAt"/> (Unix ms), with what it is for
    /// (<paramref name="description"/>, null when nobody said).
    /// </summary>
    Task<StoredFileInfo> PutAsync(string scope, string name, string contentType, byte[] content, long expiresAt, CancellationToken cancellationToken, string? description = null);

    /// <summary>The artifact, or null when it does not exist or has expired.</summary>
    Task<StoredArtifact?> GetAsync(string scope, string name, CancellationToken cancellationToken);

    /// <summary>The artifact's description, without its bytes; null when it does not exist or has expired.</summary>
    Task<ArtifactDescription?> DescribeAsync(string scope, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> bytes of the artifact from <paramref name="offset"/> (fewer at its end, none past
    /// it or when it does not exist or has expired), so a large one is read in slices.
    /// </summary>
    Task<byte[]> ReadAsync(string scope, string name, long offset, int count, CancellationToken cancellationToken);

    /// <summary>The unexpired artifacts of a scope, by name.</summary>
    Task<IReadOnlyList<StoredFileInfo>> ListAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Removes one artifact; false when there was none (expired ones count as none).</summary>
    Task<bool> DeleteAsync(string scope, string name, CancellationToken cancellationToken);

    /// <summary>Removes every artifact of a scope; returns how many there were.</summary>
    Task<int> DeleteScopeAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Removes every artifact that expired at or before <paramref name="now"/> (Unix ms); returns how many.</summary>
    Task<int> DeleteExpiredAsync(long now, CancellationToken cancellationToken);
}
