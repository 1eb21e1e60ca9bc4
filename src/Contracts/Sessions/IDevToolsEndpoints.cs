namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// The DevTools endpoints of the dedicated browsers that run on this node, for the CDP proxy: each a browser-level
/// WebSocket on loopback (<c>ws://127.0.0.1:{port}/devtools/browser/{id}</c>), reachable from this machine only. The
/// engine registers it on a silo; an API process without a silo has none and relays every CDP connection to the node
/// that runs the session.
/// </summary>
public interface IDevToolsEndpoints
{
    /// <summary>The DevTools WebSocket of <paramref name="sessionId"/>'s own browser while it runs on this node; else null.</summary>
    Uri? Find(string sessionId);
}
