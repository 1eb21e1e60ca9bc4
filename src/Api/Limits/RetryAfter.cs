using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace SessionGrid.Api.Limits;

/// <summary>The <c>Retry-After</c> header of a 429: whole seconds, at least one.</summary>
public static class RetryAfter
{
    public static void Set(HttpContext context, TimeSpan wait) =>
        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
