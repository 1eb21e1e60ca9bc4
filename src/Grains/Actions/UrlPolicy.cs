using Microsoft.Extensions.Options;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// Which URLs a browser may open: http, https, data: and about:blank only (no file:, chrome:, javascript: …),
/// and never a cloud metadata address or an operator-denied host. Checked before every navigation the engine makes,
/// and enforced on every request a page makes through routes on its context.
/// </summary>
public sealed class UrlPolicy
{
    private static readonly string[] BuiltInDeniedHosts =
    [
        "169.254.169.254", "169.254.170.2", "100.100.100.200", "[fd00:ec2::254]",
        "metadata.google.internal", "metadata.goog", "metadata.azure.com",
    ];

    private readonly HashSet<string> _deniedHosts;

    public UrlPolicy(IOptions<UrlPolicyOptions> options)
    {
        _deniedHosts = new HashSet<string>(
            BuiltInDeniedHosts.Concat(options.Value.DenyHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim())),
            StringComparer.OrdinalIgnoreCase);
        DeniedHostPatterns = [.. _deniedHosts.SelectMany(h => new[] { $"*://{h}/**", $"*://{h}:*/**" })];
    }

    /// <summary>Glob patterns of every denied host, for context routes that abort page-made requests.</summary>
    public IReadOnlyList<string> DeniedHostPatterns { get; }

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
                var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost;
                return _deniedHosts.Contains(host) ? $"url_refused: requests to {host} are not allowed" : null;
            case "data":
                return null;
            case "about" when uri.AbsoluteUri == "about:blank":
                return null;
            default:
                return $"url_refused: the {uri.Scheme}: scheme is not allowed; only http, https, data and about:blank URLs can be opened";
        }
    }
}
