using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.LiveView;

/// <summary>
/// The live view's links, <c>{base}/live/{sessionId}?t={token}</c>. The base is <see cref="LiveViewOptions.PublicBaseUrl"/>
/// when set; otherwise a Task API answer uses the request's own scheme and host, and a link the engine hands out (no
/// request at hand) the address this server listens on, with a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>,
/// <c>*</c>) read as <c>localhost</c>.
/// </summary>
public sealed class LiveViewLinks(IOptions<LiveViewOptions> options, IServer server) : ILiveViewLinks
{
    /// <summary>The engine's link is for a person who is to log in: it opens the view interactive.</summary>
    public ValueTask<string?> LinkForAsync(string owner, string sessionId, string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ServerBase is { } baseUrl ? Link(baseUrl, sessionId, token) + "&interactive=true" : null);

    /// <summary>
    /// Where links the engine hands out (no request at hand) start: the configured base, else the address this server
    /// listens on; null when it listens nowhere.
    /// </summary>
    public string? ServerBase => Configured ?? ListeningBase(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    /// <summary>A Task API answer's <c>live_url</c>: the link while the task waits or runs, null once it finished.</summary>
    public string? ForTask(HttpRequest request, TaskSnapshot task) =>
        task.Phase.IsFinished() || task.LiveToken is not { } token ? null : Link(PublicBase(request), task.Id, token);

    /// <summary>Where the client of <paramref name="request"/> reaches this server: the configured base, else the request's scheme and host.</summary>
    public string PublicBase(HttpRequest request) => Configured ?? $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static string Link(string baseUrl, string sessionId, string token) =>
        $"{baseUrl.TrimEnd('/')}/live/{Uri.EscapeDataString(sessionId)}?t={Uri.EscapeDataString(token)}";

    /// <summary>
    /// The first address the server listens on, as a URL a browser on this machine can open (a wildcard host read as
    /// <paramref name="wildcardHost"/>); null when there is none.
    /// </summary>
    public static string? ListeningBase(IEnumerable<string> addresses, string wildcardHost = "localhost")
    {
        if (addresses.Select(BindingAddress.Parse).FirstOrDefault(a => !a.IsUnixPipe) is not { } binding)
        {
            return null;
        }

        var host = binding.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" ? wildcardHost : binding.Host;
        return $"{binding.Scheme}://{host}:{binding.Port}{binding.PathBase}";
    }

    private string? Configured => options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured : null;
}
