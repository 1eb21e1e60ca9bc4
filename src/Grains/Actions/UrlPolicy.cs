using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// Which URLs a browser may open: http, https, data: and about:blank only (no file:, chrome:, view-source:,
/// javascript: …), never a link-local or cloud metadata address or an operator-denied host, and only the operator's
/// allowed hosts when there is an allow list. Checked before every navigation the engine makes
/// (<see cref="Refusal"/>), and enforced on every request and WebSocket a page makes through context routes
/// (<see cref="RefusedRequests"/>): subresources, redirects, and navigations the page starts itself.
/// </summary>
public sealed class UrlPolicy
{
    /// <summary>
    /// Always refused: IPv4 link-local (169.254.0.0/16, where AWS, GCP, Azure and OpenStack serve instance metadata),
    /// AWS's IPv6 metadata address, Alibaba's, and the metadata host names.
    /// </summary>
    public static readonly IReadOnlyList<string> BuiltInDeniedHosts =
    [
        "169.254.0.0/16", "fd00:ec2::254", "100.100.100.200",
        "metadata.google.internal", "metadata.goog", "metadata.azure.com",
    ];

    /// <summary>IPv6 link-local (fe80::/10) and IPv4-mapped IPv6 literals, which could name an IPv4 address in disguise.</summary>
    private const string DeniedIpv6 = @"\[(?:fe[89ab][0-9a-f]:[^\]]*|::ffff:[^\]]*)\]";

    /// <summary><see cref="DeniedIpv6"/> as Chromium host patterns (the colon keeps them from matching a host name).</summary>
    private static readonly string[] DeniedIpv6Patterns = ["fe8*:*", "fe9*:*", "fea*:*", "feb*:*", "::ffff:*"];

    /// <summary>The schemes whose requests go to a host: what the routes check.</summary>
    private const string NetworkSchemes = "(?:https?|wss?)";

    private readonly HostList _denied;
    private readonly HostList _allowed;
    private readonly Regex _deniedHost;

    public UrlPolicy(IOptions<UrlPolicyOptions> options)
    {
        _denied = new HostList([.. BuiltInDeniedHosts, .. options.Value.DenyHosts], $"{UrlPolicyOptions.Section}:DenyHosts");
        _allowed = new HostList(options.Value.AllowHosts, $"{UrlPolicyOptions.Section}:AllowHosts");
        var denied = $"(?:{_denied.Pattern}|{DeniedIpv6})";
        _deniedHost = new Regex($"^{denied}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // A URL whose host is denied, or (with an allow list) not allowed: its scheme, optional credentials, the host,
        // then a port or the end of the authority.
        const string end = "(?::[0-9]+)?(?:[/?#]|$)";
        var refused = _allowed.IsEmpty ? $"{denied}{end}" : $"(?:{denied}{end}|(?!{_allowed.Pattern}{end}))";
        RefusedRequests = new Regex($"^{NetworkSchemes}://(?:[^/?#@]*@)?{refused}", RegexOptions.IgnoreCase);
        HostResolverRules = ResolverRules();
    }

    /// <summary>The requests (and WebSockets) a page may not make, for routes that abort them before they leave the browser.</summary>
    public Regex RefusedRequests { get; }

    /// <summary>
    /// Chromium's <c>--host-resolver-rules</c>: every denied host resolves to nothing (names, addresses and ranges alike,
    /// so redirects cannot reach them either); with an allow list, so does every host not on it. Exclusions win over
    /// every rule in Chromium, so an allowed host is excluded only when no deny entry names it.
    /// </summary>
    public string HostResolverRules { get; }

    private string ResolverRules()
    {
        var rules = _denied.HostPatterns.Concat(DeniedIpv6Patterns).Select(pattern => $"MAP {pattern} ~NOTFOUND").ToList();
        if (!_allowed.IsEmpty)
        {
            rules.Add("MAP * ~NOTFOUND");
            rules.AddRange(_allowed.HostPatterns
                .Where(pattern => !_deniedHost.IsMatch(pattern.Contains(':', StringComparison.Ordinal) ? $"[{pattern}]" : pattern))
                .Select(pattern => $"EXCLUDE {pattern}"));
        }

        return string.Join(", ", rules);
    }

    /// <summary>
    /// Null when a session may use <paramref name="proxy"/>, else why not: its host is checked as a page's request to
    /// it would be, so no proxy points at a metadata address or a host the operator denies.
    /// </summary>
    public string? ProxyRefusal(Contracts.Sessions.UpstreamProxy proxy) =>
        Refusal($"http://{proxy.Host}:{proxy.Port}/") is { } refused ? $"proxy: the proxy's host is refused: {refused}" : null;

    /// <summary>Null when the URL may be opened, else why not.</summary>
    public string? Refusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"'{Quote.Shorten(url)}' is not an absolute URL";
        }

        switch (uri.Scheme)
        {
            case "http" or "https":
                var host = HostList.CanonicalHost(uri);
                return _deniedHost.IsMatch(host) ? $"url_refused: requests to {host} are not allowed"
                    : !_allowed.IsEmpty && !_allowed.Matches(host) ? $"url_refused: {host} is not one of the hosts this SessionGrid may open ({UrlPolicyOptions.Section}:AllowHosts)"
                    : null;
            case "data":
                return null;
            case "about" when uri.AbsoluteUri == "about:blank":
                return null;
            default:
                return $"url_refused: the {uri.Scheme}: scheme is not allowed; only http, https, data and about:blank URLs can be opened";
        }
    }
}
