using System.Globalization;
using System.Text.RegularExpressions;

namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// An upstream proxy every request of a session's pages goes through: <see cref="Server"/> is
/// <c>scheme://host:port</c> (http, https or socks5; never with credentials), <see cref="Bypass"/> Chromium's
/// comma-separated bypass list. The password is a secret: <see cref="ToString"/> never shows it (nor the username),
/// and no error of <see cref="Parse"/> repeats either.
/// </summary>
[GenerateSerializer, Alias("sg.UpstreamProxy")]
public sealed partial record UpstreamProxy(
    [property: Id(0)] string Server,
    [property: Id(1)] string? Username,
    [property: Id(2)] string? Password,
    [property: Id(3)] string? Bypass)
{
    public const int MaxServerLength = 2048;
    public const int MaxCredentialLength = 1024;
    public const int MaxBypassLength = 4096;

    /// <summary>The schemes Chromium takes a proxy by.</summary>
    public static readonly IReadOnlyList<string> Schemes = ["http", "https", "socks5"];

    /// <summary>The proxy's scheme: http, https or socks5.</summary>
    public string Scheme => Server[..Server.IndexOf(':', StringComparison.Ordinal)];

    /// <summary>The proxy's host as written (an IPv6 address in brackets).</summary>
    public string Host => Shape().Match(Server).Groups["host"].Value;

    public int Port => int.Parse(Shape().Match(Server).Groups["port"].Value, CultureInfo.InvariantCulture);

    /// <summary>Whether the proxy holds a credential (a username or a password): such a spec is not kept anywhere.</summary>
    public bool HasCredentials => Username is not null || Password is not null;

    public override string ToString() =>
        $"UpstreamProxy {{ Server = {Server}, Credentials = {(HasCredentials ? "(hidden)" : "none")}, Bypass = {Bypass ?? "none"} }}";

    /// <summary>
    /// A proxy from its parts as a client or an operator gives them, or why they are wrong. <paramref name="server"/> is
    /// <c>scheme://[user:password@]host:port</c>; credentials go either in it or in <paramref name="username"/> and
    /// <paramref name="password"/>, not both. <paramref name="names"/> are the names the caller knows the four parts by,
    /// for the messages. A null or blank <paramref name="server"/> with no credentials and no bypass is no proxy (null,
    /// no error). No message repeats a username or a password.
    /// </summary>
    public static (UpstreamProxy? Proxy, string? Error) Parse(string? server, string? username, string? password, string? bypass, FieldNames names)
    {
        if (string.IsNullOrWhiteSpace(server))
        {
            return username is not null || password is not null || bypass is not null
                ? (null, $"{names.Username}, {names.Password} and {names.Bypass} need {names.Server}")
                : (null, null);
        }

        if (server.Trim() == "self")
        {
            return (null, $"{names.Server} 'self' (the SDK's tunnel through your own machine, which needs Smooth's relay) is not supported by SessionGrid: give an http://, https:// or socks5:// proxy as scheme://host:port");
        }

        if (server.Length > MaxServerLength)
        {
            return (null, $"{names.Server} must be at most {MaxServerLength} characters");
        }

        var match = Shape().Match(server.Trim());
        var scheme = SchemePart().Match(server.Trim()) is { Success: true } s ? s.Groups[1].Value.ToLowerInvariant() : null;
        if (scheme is null)
        {
            return (null, $"{names.Server} must be a URL with a scheme and a port: http://host:port, https://host:port or socks5://host:port");
        }

        if (!Schemes.Contains(scheme))
        {
            return (null, $"{names.Server} has the scheme '{Shorten(scheme)}', which is not a proxy scheme Chromium takes: use http://, https:// or socks5://");
        }

        if (!match.Success)
        {
            return (null, $"{names.Server} must be {scheme}://host:port, with the port and without a path, query or fragment");
        }

        if (!int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return (null, $"{names.Server} has a port out of range: it must be from 1 to 65535");
        }

        var host = match.Groups["host"].Value;
        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            return (null, $"{names.Server} has a host that is not a host name or an IP address");
        }

        if (match.Groups["user"].Success)
        {
            if (username is not null || password is not null)
            {
                return (null, $"give the proxy's credentials either in {names.Server} (scheme://user:password@host:port) or in {names.Username} and {names.Password}, not both");
            }

            username = Uri.UnescapeDataString(match.Groups["user"].Value);
            password = match.Groups["password"].Success ? Uri.UnescapeDataString(match.Groups["password"].Value) : null;
        }

        if (password is not null && string.IsNullOrEmpty(username))
        {
            return (null, $"{names.Password} needs {names.Username}");
        }

        if (username?.Length > MaxCredentialLength || password?.Length > MaxCredentialLength)
        {
            return (null, $"{names.Username} and {names.Password} must be at most {MaxCredentialLength} characters each");
        }

        if ((username ?? "").Any(char.IsControl) || (password ?? "").Any(char.IsControl))
        {
            return (null, $"{names.Username} and {names.Password} may not hold control characters");
        }

        if (scheme == "socks5" && (username is not null || password is not null))
        {
            return (null, $"{names.Server}: Chromium cannot authenticate to a SOCKS5 proxy; use an http:// or https:// proxy for one that needs a username and password");
        }

        if (bypass is not null && (bypass.Length > MaxBypassLength || bypass.Any(char.IsControl)))
        {
            return (null, $"{names.Bypass} must be a comma-separated list of hosts of at most {MaxBypassLength} characters");
        }

        var canonical = $"{scheme}://{host.ToLowerInvariant()}:{port.ToString(CultureInfo.InvariantCulture)}";
        return (new UpstreamProxy(canonical, username, password, string.IsNullOrWhiteSpace(bypass) ? null : bypass.Trim()), null);
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";

    /// <summary>What a caller calls the four parts of a proxy, for the messages.</summary>
    public sealed record FieldNames(string Server, string Username, string Password, string Bypass);

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex SchemePart();

    /// <summary><c>scheme://[user[:password]@]host:port[/]</c>, the host a name, an IPv4 address or a bracketed IPv6 address.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://(?:(?<user>[^:@/?#\s]*)(?::(?<password>[^@/?#\s]*))?@)?(?<host>\[[0-9A-Fa-f:.]+\]|[^:@/?#\[\]\s]+):(?<port>[0-9]{1,5})/?$")]
    private static partial Regex Shape();
}
