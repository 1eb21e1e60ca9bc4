using Microsoft.AspNetCore.Http;
using SessionGrid.Api.Auth;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Limits;

/// <summary>
/// The concurrent-session limit where a front end opens sessions: a claim with the tenant's
/// <see cref="IOpenSessionsGrain"/> before the open (cluster-wide, checked against the task records), and its release
/// when the open was refused. A dialect's refusal sets <c>Retry-After</c> and answers 429 in its own shape; the MCP
/// server's is a tool error (its answer is already streaming).
/// </summary>
public static class SessionLimit
{
    /// <summary>What a refused open is told to wait: sessions end at no predictable time.</summary>
    public static readonly TimeSpan RetryAfterSessions = TimeSpan.FromSeconds(5);

    /// <summary>Claims <paramref name="claim"/>'s sessions; null when the open may go on, else the refusal's text (and <c>Retry-After</c>).</summary>
    public static async Task<string?> ClaimAsync(HttpContext http, IGrainFactory grains, SessionClaim claim)
    {
        if (await ClaimAsync(Caller.Limits(http), grains, claim) is not { } refused)
        {
            return null;
        }

        RetryAfter.Set(http, RetryAfterSessions);
        return refused;
    }

    /// <summary>Claims <paramref name="claim"/>'s sessions under <paramref name="limits"/>; null when the open may go on, else the refusal's text.</summary>
    public static async Task<string?> ClaimAsync(KeyLimits limits, IGrainFactory grains, SessionClaim claim)
    {
        if (limits.MaxConcurrentSessions <= 0 || await grains.GetGrain<IOpenSessionsGrain>(limits.Tenant).TryClaimAsync(claim, limits.MaxConcurrentSessions))
        {
            return null;
        }

        var asked = claim.Weight == 1 ? "" : $" (this request opens {claim.Weight})";
        return $"concurrent session limit reached: this API key may have {limits.MaxConcurrentSessions} sessions open at once{asked}; close one or retry later";
    }

    /// <summary>Gives back a claim whose open was refused (nothing was opened).</summary>
    public static Task ReleaseAsync(HttpContext http, IGrainFactory grains, string id) => ReleaseAsync(Caller.Limits(http), grains, id);

    /// <summary>Gives back a claim whose open was refused (nothing was opened).</summary>
    public static Task ReleaseAsync(KeyLimits limits, IGrainFactory grains, string id) =>
        limits.MaxConcurrentSessions <= 0 ? Task.CompletedTask : grains.GetGrain<IOpenSessionsGrain>(limits.Tenant).ReleaseAsync(id);
}
