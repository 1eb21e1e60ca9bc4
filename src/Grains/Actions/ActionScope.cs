namespace SessionGrid.Grains.Actions;

/// <summary>What an action may use beyond its page: whose session it is, its files, and where it may navigate.</summary>
/// <param name="Owner">The tenant that owns the session (credentials and profiles are looked up under it).</param>
/// <param name="FileScope">The artifact scope holding the files <c>uploadFile</c> can name (the session id).</param>
/// <param name="AllowedUrls">The task's <c>allowed_urls</c>; null allows every URL the URL policy allows.</param>
public sealed record ActionScope(string Owner, string FileScope, UrlGlob? AllowedUrls = null)
{
    /// <summary>
    /// Hands the page to a person (<c>authenticate</c> waiting for a login): announces the session's live view and
    /// returns its link, null when this host serves no live view.
    /// </summary>
    public Func<CancellationToken, Task<string?>>? OfferLiveView { get; init; }

    /// <summary>The upstream proxy the session's requests go through (<c>http://host:port</c>, no credentials), for errors to name; null for none.</summary>
    public string? Proxy { get; init; }

    /// <summary>The session the action runs in: a session's files are scoped by its id.</summary>
    public string SessionId => FileScope;
}
