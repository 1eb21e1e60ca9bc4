using System.ComponentModel.DataAnnotations;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// Settings under <c>SessionGrid:Browser:Proxy</c>: the upstream proxy of every session on this node that does not name
/// its own (none by default). Checked at start-up like a client's proxy, and its host against the URL policy.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "SessionGrid:Browser:Proxy";

    private static readonly UpstreamProxy.FieldNames Names = new($"{Section}:Server", $"{Section}:Username", $"{Section}:Password", $"{Section}:Bypass");

    /// <summary><c>http://host:port</c>, <c>https://host:port</c> or <c>socks5://host:port</c>; none when empty.</summary>
    public string? Server { get; set; }

    public string? Username { get; set; }

    /// <summary>The proxy's password: never logged or returned.</summary>
    public string? Password { get; set; }

    /// <summary>Chromium's bypass list (comma-separated hosts the sessions reach directly); loopback goes through the proxy unless listed.</summary>
    public string? Bypass { get; set; }

    /// <summary>The default proxy, or null when none is set.</summary>
    public UpstreamProxy? Proxy => UpstreamProxy.Parse(Server, Username, Password, Bypass, Names).Proxy;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UpstreamProxy.Parse(Server, Username, Password, Bypass, Names).Error is { } error)
        {
            yield return new ValidationResult(error);
        }
    }
}
