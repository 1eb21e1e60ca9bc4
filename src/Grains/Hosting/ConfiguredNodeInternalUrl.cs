using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Hosting;

/// <summary>
/// The engine's <see cref="INodeInternalUrl"/>: only <see cref="NodeOptions.InternalUrl"/>, since the engine alone
/// serves no HTTP; a host that serves the API replaces it with one that knows where it listens.
/// </summary>
public sealed class ConfiguredNodeInternalUrl(IOptions<NodeOptions> options) : INodeInternalUrl
{
    public string? Get() => options.Value.InternalUrl is { Length: > 0 } configured ? configured : null;
}
