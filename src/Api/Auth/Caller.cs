using Microsoft.AspNetCore.Http;
using SessionGrid.Api.Limits;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Auth;

/// <summary>The authenticated tenant of a request and the limits of its key, set by a dialect's auth filter.</summary>
public static class Caller
{
    private const string TenantKey = "sessiongrid.tenant";
    private const string LimitsKey = "sessiongrid.limits";

    /// <summary>Records the request's key: its tenant, and the limits that hold for it.</summary>
    public static void SetKey(HttpContext context, ApiKeyIdentity key, KeyLimits limits)
    {
        context.Items[TenantKey] = key.Tenant;
        context.Items[LimitsKey] = limits;
    }

    public static string Tenant(HttpContext context) =>
        context.Items[TenantKey] as string ?? throw new InvalidOperationException("The request was not authenticated.");

    public static KeyLimits Limits(HttpContext context) =>
        context.Items[LimitsKey] as KeyLimits ?? throw new InvalidOperationException("The request was not authenticated.");
}
