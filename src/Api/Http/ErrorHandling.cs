using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionGrid.Api.Http;

/// <summary>
/// Last-resort error handling: a request the server cannot parse at the HTTP level answers with its own 4xx; a
/// grain call the cluster could not deliver or answer in time (a node was just lost, the cluster is starting) answers
/// 503 with <c>Retry-After</c>; an unexpected failure answers 500 without leaking its exception text. Each is in the
/// error shape of the dialect the path belongs to: problem details under <c>/api/v1/browser</c> and
/// <c>/api/v1/admin</c>, <c>{"error"}</c> under <c>/api/v1/browsing</c>, a JSON-RPC error under <c>/mcp</c>,
/// <c>{"detail"}</c> elsewhere.
/// </summary>
public static class ErrorHandling
{
    /// <summary>What a 503 for an unreachable cluster asks the client to wait.</summary>
    public const int RetryAfterSeconds = 5;

    public static IApplicationBuilder UseSessionGridErrors(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context => context.HttpContext.Response.StatusCode switch
        {
            // Routing's own refusals have no body: give them the dialect's error shape.
            StatusCodes.Status404NotFound => WriteAsync(context.HttpContext, StatusCodes.Status404NotFound, "no such endpoint"),
            StatusCodes.Status405MethodNotAllowed => WriteAsync(context.HttpContext, StatusCodes.Status405MethodNotAllowed,
                $"method {context.HttpContext.Request.Method} is not allowed on this endpoint"),
            _ => Task.CompletedTask,
        })
        .UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, message) = exception switch
            {
                BadHttpRequestException bad => (bad.StatusCode, "bad request: " + bad.Message),
                Orleans.Runtime.OrleansException or TimeoutException => (StatusCodes.Status503ServiceUnavailable,
                    "the cluster could not answer in time (a node may have just been lost); retry in a few seconds"),
                _ => (StatusCodes.Status500InternalServerError, "internal error"),
            };
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (status >= 500)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("SessionGrid.Api")
                    .LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            }

            await WriteAsync(context, status, message);
        }));

    /// <summary>Writes an error in the shape of the dialect that <paramref name="context"/>'s path belongs to.</summary>
    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(Mcp.McpEndpoints.Path))
        {
            return Mcp.McpHttpErrors.WriteAsync(context, status, message);
        }

        context.Response.StatusCode = status;
        if (path.StartsWithSegments("/api/v1/browser") || path.StartsWithSegments("/api/v1/admin"))
        {
            context.Response.ContentType = "application/problem+json";
            return context.Response.WriteAsync(new JsonObject
            {
                ["type"] = "about:blank",
                ["status"] = status,
                ["detail"] = message,
            }.ToJsonString());
        }

        var key = path.StartsWithSegments("/api/v1/browsing") ? "error" : "detail";
        return context.Response.WriteAsJsonAsync(new JsonObject { [key] = message });
    }
}
