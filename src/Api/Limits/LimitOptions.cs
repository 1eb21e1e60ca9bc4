using System.ComponentModel.DataAnnotations;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Limits;

/// <summary>
/// Settings under <c>SessionGrid:Limits</c>: every key's request rate (a token bucket) and concurrent sessions, and
/// overrides under <c>Keys:&lt;key name or tenant id&gt;</c>. 0 turns a limit off.
/// </summary>
public sealed class LimitOptions : IValidatableObject
{
    public const string Section = "SessionGrid:Limits";

    /// <summary>Requests per second a key's bucket refills with (fractions allowed); 0: no rate limit.</summary>
    [Range(0d, double.MaxValue)]
    public double RequestsPerSecond { get; set; } = 100;

    /// <summary>The bucket's size: requests a key may send at once after a quiet spell.</summary>
    [Range(1, int.MaxValue)]
    public int Burst { get; set; } = 200;

    /// <summary>Sessions a tenant may have waiting or running at once, cluster-wide; 0: no limit.</summary>
    [Range(0, int.MaxValue)]
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

    /// <summary>The overrides' own ranges (the defaults' are their annotations): what an override sets holds the same rule.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (subject, custom) in Keys)
        {
            if (custom.RequestsPerSecond is { } rate && !(double.IsFinite(rate) && rate >= 0))
            {
                yield return new ValidationResult($"must be 0 or more (got {rate})", [$"Keys:{subject}:RequestsPerSecond"]);
            }

            if (custom.Burst is < 1)
            {
                yield return new ValidationResult($"must be 1 or more (got {custom.Burst})", [$"Keys:{subject}:Burst"]);
            }

            if (custom.MaxConcurrentSessions is < 0)
            {
                yield return new ValidationResult($"must be 0 or more (got {custom.MaxConcurrentSessions})", [$"Keys:{subject}:MaxConcurrentSessions"]);
            }
        }
    }

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
