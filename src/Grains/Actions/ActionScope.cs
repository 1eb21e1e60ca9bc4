namespace SessionGrid.Grains.Actions;

/// <summary>What an action may use beyond its page: the files of the session it runs in, and where it may navigate.</summary>
/// <param name="FileScope">The artifact scope holding the files <c>uploadFile</c> can name (the session id).</param>
/// <param name="AllowedUrls">The task's <c>allowed_urls</c>; null allows every URL the URL policy allows.</param>
public sealed record ActionScope(string FileScope, UrlGlob? AllowedUrls = null);
