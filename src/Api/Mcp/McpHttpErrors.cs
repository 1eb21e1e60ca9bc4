using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// The MCP endpoint's answers at the HTTP level (no key, a key past its rate, a body over the limit, a route that does
/// not exist, an unexpected failure): the HTTP status, and a JSON-RPC error object as the body, as the MCP SDK's own
/// transport errors are, so an MCP client reads the reason. Code -32600 (invalid request): the status says which.
/// </summary>
public static class McpHttpErrors
{
    public const int InvalidRequest = -32600;

    /// <summary>The JSON-RPC error body: <c>{"jsonrpc": "2.0", "id": null, "error": {"code": -32600, "message": …}}</c>.</summary>
    public static JsonObject Body(string message) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = null,
        ["error"] = new JsonObject { ["code"] = InvalidRequest, ["message"] = message },
    };

    /// <summary>The error as an endpoint's result (the auth filter's answers).</summary>
    public static IResult Result(int status, string message) =>
        TypedResults.Json(Body(message), statusCode: status, contentType: "application/json");

    /// <summary>The error written to a response that has not started (the host's last-resort error handling).</summary>
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(Body(message).ToJsonString());
    }
}
