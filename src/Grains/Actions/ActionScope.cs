namespace SessionGrid.Grains.Actions;

/// <summary>What an action may use beyond its page: the files of the session it runs in.</summary>
/// <param name="FileScope">The artifact scope holding the files <c>uploadFile</c> can name (the session id).</param>
public sealed record ActionScope(string FileScope);
