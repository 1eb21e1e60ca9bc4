using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Cdp;

/// <summary>
/// A silo's internal HTTP address for the CDP relay: <see cref="NodeOptions.InternalUrl"/> when set, else the first
/// address its co-hosted server listens on, a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>) read as the address the
/// node advertises to the cluster (<c>SessionGrid:Orleans:AdvertisedIp</c>: a pod's IP, or 127.0.0.1 on one machine).
/// </summary>
public sealed class ListeningNodeInternalUrl(IOptions<NodeOptions> options, IServer server, IPAddress advertised) : INodeInternalUrl
{
    public string? Get() =>
        options.Value.InternalUrl is { Length: > 0 } configured
            ? configured
            : LiveViewLinks.ListeningBase(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [],
                advertised.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{advertised}]" : advertised.ToString());
}
