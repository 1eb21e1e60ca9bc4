using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Limits;

namespace SessionGrid.Api.Auth;

/// <summary>
/// Every dialect's auth and request rate: a live key sets the caller's tenant and limits; no live key answers 401, a
/// key past its request rate 429 with <c>Retry-After</c>, each in the dialect's error shape.
/// </summary>
public static class ApiKeyFilter
{
    /// <param name="unauthorized">The dialect's 401 text (how to send a key).</param>
    /// <param name="error">The dialect's error answer for a status and a text.</param>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group, string unauthorized, Func<int, string, IResult> error) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var key = await services.GetRequiredService<ApiKeyAuthenticator>().AuthenticateAsync(http.Request);
            if (key is null)
            {
                return error(StatusCodes.Status401Unauthorized, unauthorized);
            }

            var limits = services.GetRequiredService<IOptions<LimitOptions>>().Value.For(key);
            if (services.GetRequiredService<RequestRateLimiter>().TryAcquire(limits) is { } wait)
            {
                RetryAfter.Set(http, wait);
                return error(StatusCodes.Status429TooManyRequests, RequestRateLimiter.Refusal(limits));
            }

            Caller.SetKey(http, key, limits);
            return await next(context);
        });
}
