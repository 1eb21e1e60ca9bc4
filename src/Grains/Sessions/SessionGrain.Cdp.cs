using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The session's CDP endpoint, for a session with a browser of its own (dedicated isolation): a token made when the
/// session opens (kept in its task record, so the API can render <c>cdp_url</c>) and checked here, in constant time,
/// before a CDP proxy connects a client to the session's browser; the proxy then reports the client's commands as
/// activity for the idle timer. The token is not the live view's: a live-view link handed to a person does not give
/// full control of the browser.
/// </summary>
public sealed partial class SessionGrain
{
    private const string SharedBrowserRefusal =
        "this session shares its browser with other sessions and has no CDP endpoint: open the session with isolation: dedicated to connect over CDP";

    private SessionIsolation _isolation;
    private string? _cdpToken;

    public Task<CdpAccess> OpenCdpAsync(string token) =>
        Task.FromResult(CdpRefusal(token) is { } refused
            ? new CdpAccess(refused, null)
            : new CdpAccess(SessionReply.Ok, services.NodeUrl.Get()));

    public Task<SessionReply> CdpActivityAsync(string token)
    {
        if (CdpRefusal(token) is { } refused)
        {
            return Task.FromResult(refused);
        }

        Touch();
        return Task.FromResult(SessionReply.Ok);
    }

    /// <summary>Remembers how the opening session is isolated: a new CDP token when it gets a browser of its own, else null.</summary>
    private string? NewCdpToken(SessionIsolation isolation)
    {
        _isolation = isolation;
        return _cdpToken = isolation == SessionIsolation.Dedicated ? SessionTokens.New() : null;
    }

    /// <summary>
    /// The session's browser context: in one of the shared Chromium processes, or in a process of its own (started with
    /// the session's extensions, if any).
    /// </summary>
    private async Task<BrowserLease> AcquireBrowserAsync(SessionSpec spec, string? storageState) =>
        spec.Isolation == SessionIsolation.Dedicated
            ? await services.Browsers.AcquireDedicatedAsync(SessionId, spec.Device, spec.Browser, storageState, CancellationToken.None, spec.Extras, await ExtensionFilesAsync(spec))
            : await services.Browsers.AcquireAsync(SessionId, spec.Device, spec.Browser, CancellationToken.None, storageState, spec.Extras);

    /// <summary>Extensions live per browser: a session with any gets one of its own, as with dedicated isolation.</summary>
    private static SessionSpec WithIsolationForExtensions(SessionSpec spec) =>
        spec.Extras.Extensions.Count > 0 ? spec with { Isolation = SessionIsolation.Dedicated } : spec;

    /// <summary>The packages of the session's extensions from the artifact store; one deleted since the session was asked for ends its opening.</summary>
    private async Task<IReadOnlyList<ExtensionFiles>> ExtensionFilesAsync(SessionSpec spec)
    {
        var files = new List<ExtensionFiles>();
        foreach (var id in spec.Extras.Extensions)
        {
            var stored = await services.Artifacts.GetAsync(TenantExtensions.Scope(spec.Owner), id, CancellationToken.None)
                ?? throw new BrowserUnavailableException($"the extension '{id}' was deleted before the session's browser started");
            files.Add(new ExtensionFiles(id, stored.Content));
        }

        return files;
    }

    /// <summary>
    /// Null when <paramref name="token"/> opens the CDP endpoint now; otherwise the refusal: <c>Closed</c> or
    /// <c>NotOpenHere</c> when the session is not live here (whatever the token), <c>Invalid</c> for a session in a
    /// shared browser, <c>Forbidden</c> for a token that is not the session's, <c>NotOpenHere</c> while its browser opens.
    /// An activation that a CDP call made for a session not open here is not kept.
    /// </summary>
    private SessionReply? CdpRefusal(string token)
    {
        if (_stage is not (Stage.Opening or Stage.Open))
        {
            if (_stage == Stage.New)
            {
                DeactivateOnIdle();
            }

            return Refusal();
        }

        if (_isolation != SessionIsolation.Dedicated)
        {
            return SessionReply.Rejected(SessionRefusal.Invalid, SharedBrowserRefusal);
        }

        if (!SessionTokens.Matches(token, _cdpToken))
        {
            return SessionReply.Rejected(SessionRefusal.Forbidden, "the CDP token is not this session's");
        }

        return _stage == Stage.Opening
            ? SessionReply.Rejected(SessionRefusal.NotOpenHere, "the session's browser is still opening: connect again once the task is running")
            : null;
    }
}
