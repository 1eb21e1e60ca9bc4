using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SessionGrid.Contracts.Credentials;

/// <summary>
/// What a credential may hold and which pages it may be typed into, read by the API (to answer 400) and the engine
/// alike. Messages name the field at fault but never quote a secret.
/// </summary>
public static partial class CredentialRules
{
    public const int MaxNameLength = 200;
    public const int MaxDomains = 50;
    public const int MaxUsernameLength = 512;
    public const int MaxPasswordLength = 1024;
    public const int MinTotpSecretBytes = 10;
    public const int MaxTotpSecretBytes = 128;

    /// <summary>Null when <paramref name="credential"/> can be stored, else why not.</summary>
    public static string? Problem(NewCredential credential)
    {
        if (credential.Name is { } name && (name.Length > MaxNameLength || name.Any(char.IsControl)))
        {
            return $"name must be at most {MaxNameLength} printable characters";
        }

        if (credential.Domains is not { Count: > 0 } domains)
        {
            return "domains must list at least one host name, such as example.com or *.example.com";
        }

        if (domains.Count > MaxDomains)
        {
            return $"domains may list at most {MaxDomains} host names";
        }

        if (domains.FirstOrDefault(d => NormalizeDomain(d) is null) is { } bad)
        {
            return $"domains: '{Shorten(bad)}' is not a host name (example.com), a wildcard (*.example.com) or an IP address";
        }

        if (string.IsNullOrEmpty(credential.Username) || credential.Username.Length > MaxUsernameLength)
        {
            return $"username is required (1 to {MaxUsernameLength} characters)";
        }

        if (string.IsNullOrEmpty(credential.Password) || credential.Password.Length > MaxPasswordLength)
        {
            return $"password is required (1 to {MaxPasswordLength} characters)";
        }

        return credential.TotpSecret is { } secret && Base32.Decode(secret) is not { Length: >= MinTotpSecretBytes and <= MaxTotpSecretBytes }
            ? $"totpSecret must be a base32 secret (letters A-Z and digits 2-7, spaces and '=' padding allowed) of {MinTotpSecretBytes * 8} to {MaxTotpSecretBytes * 8} bits"
            : null;
    }

    /// <summary>
    /// A domain in its canonical form (lower case, no trailing dot; IPv6 compressed), or null when it is not a host
    /// name, a <c>*.</c> wildcard over one, or an IP address.
    /// </summary>
    public static string? NormalizeDomain(string? domain)
    {
        var value = domain?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.StartsWith("*.", StringComparison.Ordinal))
        {
            return IsHostName(value[2..]) ? value : null;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(value.Trim('[', ']'), out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6.ToString() : null;
        }

        return Ipv4().IsMatch(value) && IPAddress.TryParse(value, out var v4) ? v4.ToString() : IsHostName(value) ? value : null;
    }

    /// <summary>Whether a page at <paramref name="url"/> is one the credential's <paramref name="domains"/> allow: its host exactly, or under a <c>*.</c> wildcard.</summary>
    public static bool Allows(IEnumerable<string> domains, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || NormalizeDomain(uri.IdnHost) is not { } host)
        {
            return false;
        }

        return domains.Select(NormalizeDomain).Any(domain => domain is not null &&
            (domain.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(domain[1..], StringComparison.Ordinal) && !Ipv4().IsMatch(host) : host == domain));
    }

    /// <summary>The host of a URL as the domain check sees it, for messages; empty when it has none.</summary>
    public static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost : "";

    private static bool IsHostName(string value) =>
        value.Length <= 253 && HostName().IsMatch(value) && !Ipv4().IsMatch(value) && !value.Split('.')[^1].All(char.IsAsciiDigit);

    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";

    [GeneratedRegex(@"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex Ipv4();
}
