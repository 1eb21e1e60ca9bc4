using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// The MCP server at <c>/mcp</c> (Streamable HTTP, the official SDK's transport): the same API keys as the dialects
/// (<c>apikey</c> header or <c>Authorization: Bearer</c>) checked on every request before the SDK sees it, so a
/// request without a live key is a 401 before any handshake; the key's request rate; the API's body limit. The
/// caller's tenant becomes the request's user, to which the SDK binds an MCP session: another key's requests cannot
/// use it. The endpoint is no part of the OpenAPI document (an MCP client lists the tools itself).
/// </summary>
public static class McpEndpoints
{
    public const string Path = "/mcp";

    /// <summary>The claim the SDK binds an MCP session to: the caller's tenant.</summary>
    public const string AuthenticationType = "SessionGrid.ApiKey";

    public static IEndpointRouteBuilder MapMcpServer(this IEndpointRouteBuilder app)
    {
        app.MapGroup(Path)
            .RequireApiKey("missing or invalid API key: send it in the 'apikey' header or as 'Authorization: Bearer <key>'", McpHttpErrors.Result)
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                if (HttpMethods.IsPost(http.Request.Method))
                {
                    // The message is read here within the API's body limit (with or without a declared length), then handed on.
                    var maxBytes = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes;
                    if (await JsonBody.ReadLimitedAsync(http.Request, maxBytes) is not { } body)
                    {
                        return McpHttpErrors.Result(StatusCodes.Status413PayloadTooLarge, $"the request body is larger than the limit of {maxBytes} bytes");
                    }

                    http.Response.RegisterForDisposeAsync(body);
                    http.Request.Body = body;
                }

                http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, Caller.Tenant(http))], AuthenticationType));
                return await next(context);
            })
            .ExcludeFromDescription()
            .MapMcp();
        return app;
    }
}
