namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// The link a person opens to see and drive a session's browser (the live view), handed out when an
/// <c>authenticate</c> action waits for a person to log in. The default knows no live view and answers null; the
/// host that serves the live view registers its own implementation.
/// </summary>
public interface ILiveViewLinks
{
    /// <summary>
    /// A URL for <paramref name="owner"/>'s session <paramref name="sessionId"/> carrying its live-view
    /// <paramref name="token"/>, or null when there is no live view.
    /// </summary>
    ValueTask<string?> LinkForAsync(string owner, string sessionId, string token, CancellationToken cancellationToken);
}

/// <summary>No live view: every link is null.</summary>
public sealed class NoLiveViewLinks : ILiveViewLinks
{
    public ValueTask<string?> LinkForAsync(string owner, string sessionId, string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(null);
}
