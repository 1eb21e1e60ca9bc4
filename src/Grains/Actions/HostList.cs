using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// Hosts as an operator lists them: names (<c>example.com</c>), subdomain wildcards (<c>*.example.com</c>: any depth
/// of subdomain, not the domain itself), IP addresses, and IPv4 ranges in CIDR notation (<c>10.0.0.0/8</c>). Compiled
/// to one regular expression over hosts as a browser writes them in a URL (lower case, IDNs in their <c>xn--</c>
/// form, IPv4 in dotted decimal, IPv6 in brackets), so the same list serves the engine's own checks and the browser's
/// request routes.
/// </summary>
public sealed class HostList
{
    private readonly Regex _regex;

    /// <param name="setting">The setting the entries come from, named when one cannot be read.</param>
    public HostList(IEnumerable<string> entries, string setting)
    {
        var parts = entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => Part(e.Trim(), setting)).ToList();
        IsEmpty = parts.Count == 0;
        Pattern = IsEmpty ? "(?!)" : $"(?:{string.Join("|", parts.Select(p => p.Regex).Distinct())})";
        HostPatterns = [.. parts.SelectMany(p => p.HostPatterns).Distinct()];
        _regex = new Regex($"^{Pattern}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public bool IsEmpty { get; }

    /// <summary>The list as a regular expression (an unanchored group) over canonical hosts.</summary>
    public string Pattern { get; }

    /// <summary>
    /// The list as Chromium host patterns: names and addresses as they are (IPv6 without brackets), wildcards, and
    /// each range as the octet patterns that cover it (<c>172.16.0.0/12</c> is <c>172.16.*</c> … <c>172.31.*</c>).
    /// </summary>
    public IReadOnlyList<string> HostPatterns { get; }

    /// <summary>Whether the list names <paramref name="host"/> (canonical, as <see cref="CanonicalHost"/> writes it).</summary>
    public bool Matches(string host) => _regex.IsMatch(host);

    /// <summary>The host of a URL as a browser writes it: lower case, IDNs as <c>xn--</c>, IPv6 in brackets.</summary>
    public static string CanonicalHost(Uri uri) => uri.HostNameType == UriHostNameType.IPv6
        ? $"[{IPAddress.Parse(uri.IdnHost.Trim('[', ']'))}]".ToLowerInvariant()
        : uri.IdnHost.TrimEnd('.').ToLowerInvariant();

    private static (string Regex, string[] HostPatterns) Part(string entry, string setting)
    {
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            return Ipv4Range(entry, setting);
        }

        if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
        {
            var text = address.ToString().ToLowerInvariant();
            return address.AddressFamily == AddressFamily.InterNetworkV6
                ? (Regex.Escape($"[{text}]"), [text])
                : (Regex.Escape(text), [text]);
        }

        var wildcard = entry.StartsWith("*.", StringComparison.Ordinal);
        var name = wildcard ? entry[2..] : entry;
        string ascii;
        try
        {
            ascii = new IdnMapping().GetAscii(name.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            throw Invalid(entry, setting);
        }

        if (Uri.CheckHostName(ascii) != UriHostNameType.Dns)
        {
            throw Invalid(entry, setting);
        }

        return wildcard ? ($@"(?:[a-z0-9_-]+\.)+{Regex.Escape(ascii)}", [$"*.{ascii}"]) : (Regex.Escape(ascii), [ascii]);
    }

    /// <summary>An IPv4 range: its whole octets literally, the octet the prefix splits as the values it allows, the rest any.</summary>
    private static (string Regex, string[] HostPatterns) Ipv4Range(string entry, string setting)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(entry[..slash], out var network) || network.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(entry[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            throw Invalid(entry, setting, "ranges are IPv4 CIDR blocks such as 10.0.0.0/8 (list IPv6 addresses one by one)");
        }

        var bytes = network.GetAddressBytes();
        var octets = new string[4];
        IEnumerable<string> patterns = [""];
        for (var i = 0; i < 4; i++)
        {
            var bits = Math.Clamp(prefix - (8 * i), 0, 8);
            var first = bytes[i] & (0xFF << (8 - bits)) & 0xFF;
            var values = Enumerable.Range(first, 1 << (8 - bits)).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList();
            octets[i] = bits switch
            {
                8 => values[0],
                0 => "[0-9]{1,3}",
                _ => $"(?:{string.Join("|", values)})",
            };
            if (bits > 0)
            {
                patterns = patterns.SelectMany(p => values.Select(v => p + v + "."));
            }
        }

        // The octets the prefix fixes, then a wildcard for the rest (none when the prefix fixes all four).
        var hostPatterns = patterns.Select(p => prefix > 24 ? p.TrimEnd('.') : p + "*").ToArray();
        return (string.Join(@"\.", octets), hostPatterns);
    }

    private static InvalidOperationException Invalid(string entry, string setting, string? hint = null) =>
        new($"{setting}: '{entry}' is not a host name, a *.domain wildcard, an IP address or an IPv4 range" + (hint is null ? "" : $": {hint}"));
}
