using Microsoft.AspNetCore.Http;

namespace SessionGrid.Api.Auth;

/// <summary>The authenticated tenant of a request, set by a dialect's auth filter.</summary>
public static class Caller
{
    private const string TenantKey = "sessiongrid.tenant";

    public static void SetTenant(HttpContext context, string tenant) => context.Items[TenantKey] = tenant;

    public static string Tenant(HttpContext context) =>
        context.Items[TenantKey] as string ?? throw new InvalidOperationException("The request was not authenticated.");
}
