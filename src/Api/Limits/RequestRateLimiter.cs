using System.Globalization;
using System.Threading.RateLimiting;

namespace SessionGrid.Api.Limits;

/// <summary>
/// The request rate of every key on this node: a token bucket per tenant (and override), refilled at
/// <see cref="KeyLimits.RequestsPerSecond"/> up to <see cref="KeyLimits.Burst"/>. Per node: a cluster's API nodes
/// each allow the rate, so a key's effective rate is the rate times the nodes its requests reach.
/// </summary>
public sealed class RequestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<KeyLimits> _buckets = PartitionedRateLimiter.Create<KeyLimits, (string, string)>(limits =>
        RateLimitPartition.GetTokenBucketLimiter((limits.Tenant, limits.Subject), _ => Bucket(limits)));

    /// <summary>Takes a token for one request; null when it may go on, else how long until the next token.</summary>
    public TimeSpan? TryAcquire(KeyLimits limits)
    {
        if (limits.RequestsPerSecond <= 0)
        {
            return null;
        }

        using var lease = _buckets.AttemptAcquire(limits);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter
            : TimeSpan.FromSeconds(1);
    }

    /// <summary>The refusal's text, naming the limit that was reached.</summary>
    public static string Refusal(KeyLimits limits) =>
        string.Create(CultureInfo.InvariantCulture,
            $"rate limit reached: this API key may send {limits.RequestsPerSecond:0.###} requests per second (bursts of {limits.Burst}); retry after the time in Retry-After");

    public void Dispose() => _buckets.Dispose();

    /// <summary>Whole tokens per period; a rate under one per second refills one token per longer period.</summary>
    private static TokenBucketRateLimiterOptions Bucket(KeyLimits limits)
    {
        var tokens = Math.Max(1, (int)Math.Round(limits.RequestsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / limits.RequestsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }
}
