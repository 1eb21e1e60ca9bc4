namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// A session's answer to a CDP client's token (<see cref="ISessionGrain.OpenCdpAsync"/>): whether the client may
/// connect and, when it may, <see cref="RelayUrl"/>: the internal HTTP address of the node that runs the session's
/// browser (<see cref="NodeOptions.InternalUrl"/>), where an API on another node relays the connection; null when that
/// node names none.
/// </summary>
[GenerateSerializer, Alias("sg.CdpAccess")]
public sealed record CdpAccess([property: Id(0)] SessionReply Reply, [property: Id(1)] string? RelayUrl);
