using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionGrid.Api.Http;

/// <summary>
/// Last-resort error handling: a request the server cannot parse at the HTTP level answers with its own 4xx, and an
/// unexpected failure answers 500 without leaking its exception text.
/// </summary>
public static class ErrorHandling
{
    public static IApplicationBuilder UseSessionGridErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, message) = exception switch
            {
                BadHttpRequestException bad => (bad.StatusCode, "bad request: " + bad.Message),
                _ => (StatusCodes.Status500InternalServerError, "internal error"),
            };
            if (status >= 500)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("SessionGrid.Api")
                    .LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            }

            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["detail"] = message });
        }));
}
