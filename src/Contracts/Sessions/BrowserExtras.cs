namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// What a session's browser is given beyond its device and settings (docs/browser-options.md): an upstream proxy, ad
/// blocking, Chrome extensions, client certificates, a drawn cursor. A session that holds a secret here (<see cref="HoldsSecrets"/>)
/// is never written anywhere: not to its restore record, an event, a log or a span.
/// </summary>
[GenerateSerializer, Alias("sg.BrowserExtras")]
public sealed record BrowserExtras
{
    public static readonly BrowserExtras None = new();

    /// <summary>The session's own upstream proxy; null: the node's default proxy (<c>SessionGrid:Browser:Proxy</c>), if any.</summary>
    [Id(0)] public UpstreamProxy? Proxy { get; init; }

    /// <summary>Whether requests to ad and tracker hosts (the node's block list) are blocked; the page still loads.</summary>
    [Id(1)] public bool BlockAds { get; init; }

    /// <summary>Ids of the owner's uploaded extensions (<see cref="ITenantExtensionsGrain"/>): a session with any gets a Chromium of its own, started with them.</summary>
    [Id(2)] public IReadOnlyList<string> Extensions { get; init; } = [];

    /// <summary>TLS client certificates, each offered to the origins it names.</summary>
    [Id(3)] public IReadOnlyList<SessionCertificate> Certificates { get; init; } = [];

    /// <summary>Whether the pages draw the mouse pointer where the agent, an action or a live-view user moves it (for recordings and the live view).</summary>
    [Id(4)] public bool ShowCursor { get; init; }

    /// <summary>Whether anything here is a secret (a proxy's credentials, a client certificate), so the session's spec must not be stored.</summary>
    public bool HoldsSecrets => Proxy?.HasCredentials == true || Certificates.Count > 0;
}
