using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SessionGrid.Api.Auth;

/// <summary>Every dialect's auth: a valid key sets the caller's tenant; otherwise the dialect's own 401 answers.</summary>
public static class ApiKeyFilter
{
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group, Func<IResult> unauthorized) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var tenant = http.RequestServices.GetRequiredService<ApiKeyRegistry>().Authenticate(http.Request);
            if (tenant is null)
            {
                return unauthorized();
            }

            Caller.SetTenant(http, tenant);
            return await next(context);
        });
}
