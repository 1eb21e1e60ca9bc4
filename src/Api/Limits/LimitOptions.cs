using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Limits;

/// <summary>
/// Settings under <c>SessionGrid:Limits</c>: every key's request rate (a token bucket) and concurrent sessions, and
/// overrides under <c>Keys:&lt;key name or tenant id&gt;</c>. 0 turns a limit off.
/// </summary>
public sealed class LimitOptions
{
    public const string Section = "SessionGrid:Limits";

    /// <summary>Requests per second a key's bucket refills with (fractions allowed); 0: no rate limit.</summary>
    public double RequestsPerSecond { get; set; } = 100;

    /// <summary>The bucket's size: requests a key may send at once after a quiet spell.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>Sessions a tenant may have waiting or running at once, cluster-wide; 0: no limit.</summary>
    public int MaxConcurrentSessions { get; set; } = 50;

    /// <summary>Overrides by an issued key's name or by a tenant id (<c>k_…</c>); a name's wins.</summary>
    public Dictionary<string, KeyLimitOverride> Keys { get; set; } = [];

    /// <summary>The limits that hold for <paramref name="key"/>.</summary>
    public KeyLimits For(ApiKeyIdentity key)
    {
        var (subject, custom) = Override(key.Name) ?? Override(key.Tenant) ?? ("", new KeyLimitOverride());
        return new KeyLimits(
            key.Tenant,
            subject,
            custom.RequestsPerSecond ?? RequestsPerSecond,
            custom.Burst ?? Burst,
            custom.MaxConcurrentSessions ?? MaxConcurrentSessions);
    }

    public bool IsValid() =>
        Valid(RequestsPerSecond, Burst, MaxConcurrentSessions)
        && Keys.Values.All(k => Valid(k.RequestsPerSecond ?? RequestsPerSecond, k.Burst ?? Burst, k.MaxConcurrentSessions ?? MaxConcurrentSessions));

    private static bool Valid(double requestsPerSecond, int burst, int maxSessions) =>
        double.IsFinite(requestsPerSecond) && requestsPerSecond >= 0 && burst >= 1 && maxSessions >= 0;

    private (string Subject, KeyLimitOverride Limits)? Override(string? subject) =>
        subject is null ? null : Keys.FirstOrDefault(k => string.Equals(k.Key, subject, StringComparison.OrdinalIgnoreCase)) is { Value: { } found } entry
            ? (entry.Key, found)
            : null;
}

/// <summary>One key's or tenant's own limits (<c>SessionGrid:Limits:Keys:&lt;name&gt;:…</c>); what it leaves out is the default.</summary>
public sealed class KeyLimitOverride
{
    public double? RequestsPerSecond { get; set; }
    public int? Burst { get; set; }
    public int? MaxConcurrentSessions { get; set; }
}
