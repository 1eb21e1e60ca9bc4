using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SessionGrid.Api.Auth;

/// <summary>The admin API's auth: an admin key goes on; a tenant's key answers 403; no key or another 401.</summary>
public static class AdminKeyFilter
{
    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group, Func<int, string, IResult> error) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var services = context.HttpContext.RequestServices;
            if (services.GetRequiredService<AdminKeyRegistry>().Keys.Authenticate(request) is not null)
            {
                return await next(context);
            }

            if (await services.GetRequiredService<ApiKeyAuthenticator>().AuthenticateAsync(request) is not null)
            {
                return error(StatusCodes.Status403Forbidden, $"this is a tenant's API key: the admin API takes an admin key ({AdminKeyRegistry.Setting})");
            }

            return error(StatusCodes.Status401Unauthorized, $"missing or invalid admin key: send one of {AdminKeyRegistry.Setting} as 'Authorization: Bearer <admin key>'");
        });
}
