using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// Failures at a session's upstream proxy, in words that name it (its <c>scheme://host:port</c>, never its
/// credentials): Chromium reports them as network errors of the page (<c>net::ERR_PROXY_CONNECTION_FAILED</c>), which
/// read as the site's fault. A session without a proxy has none.
/// </summary>
public static partial class ProxyFailures
{
    /// <summary>The message for a failure at <paramref name="proxy"/>, or null when <paramref name="ex"/> is not one.</summary>
    public static string? Describe(PlaywrightException ex, string? proxy)
    {
        if (proxy is null || NetError().Match(ex.Message) is not { Success: true } match)
        {
            return null;
        }

        var code = match.Groups[1].Value;
        var what = code switch
        {
            "ERR_PROXY_CONNECTION_FAILED" or "ERR_SOCKS_CONNECTION_FAILED" => "refused the connection or could not be reached",
            "ERR_INVALID_AUTH_CREDENTIALS" or "ERR_PROXY_AUTH_REQUESTED" or "ERR_PROXY_AUTH_UNSUPPORTED" or "ERR_UNEXPECTED_PROXY_AUTH" =>
                "asked for credentials that were not given or that it did not accept",
            "ERR_TUNNEL_CONNECTION_FAILED" => "did not open a tunnel to the site",
            _ when code.StartsWith("ERR_PROXY_", StringComparison.Ordinal) || code.StartsWith("ERR_SOCKS_", StringComparison.Ordinal) => "failed",
            _ => null,
        };
        return what is null ? null : $"proxy_failed: the session's proxy {proxy} {what} (net::{code})";
    }

    /// <summary>A navigation answered by the proxy itself with 407 (Proxy Authentication Required).</summary>
    public static string AuthenticationRequired(string proxy) =>
        $"proxy_failed: the session's proxy {proxy} asked for credentials that were not given or that it did not accept (407 Proxy Authentication Required)";

    [GeneratedRegex(@"net::(ERR_[A-Z0-9_]+)")]
    private static partial Regex NetError();
}
