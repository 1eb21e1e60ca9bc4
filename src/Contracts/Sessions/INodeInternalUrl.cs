namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// This node's internal HTTP address (<see cref="NodeOptions.InternalUrl"/>), which a session hands to a CDP proxy on
/// another node so that it can relay the connection here. The engine's default knows only the configured address; the
/// host that serves HTTP replaces it with one that falls back to the address it listens on.
/// </summary>
public interface INodeInternalUrl
{
    /// <summary>The base URL of this node's HTTP server as other nodes reach it; null when there is none.</summary>
    string? Get();
}
