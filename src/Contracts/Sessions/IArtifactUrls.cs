namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// The links to a session's artifacts that the engine hands out itself (a <c>download</c> event's <c>url</c>): the host
/// that serves them registers its own implementation; the default knows no such host and answers null.
/// </summary>
public interface IArtifactUrls
{
    /// <summary>The link to one downloaded file of <paramref name="sessionId"/>, opened by <paramref name="token"/>; null when nothing here serves it.</summary>
    string? Download(string sessionId, string name, string token);
}

/// <summary>No host serves artifacts: every link is null.</summary>
public sealed class NoArtifactUrls : IArtifactUrls
{
    public string? Download(string sessionId, string name, string token) => null;
}
