using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionGrid.Api.Operations;

/// <summary>
/// Kubernetes-style probes, without an API key: <c>/health/live</c> (the process answers; no dependency is
/// checked), <c>/health/ready</c> (the checks tagged <see cref="HealthTags.Ready"/>) and <c>/health/startup</c>
/// (those tagged <see cref="HealthTags.Startup"/>). 200 when every selected check is healthy, else 503; the body
/// names each check's status and why.
/// </summary>
public static class HealthEndpoints
{
    public const string Prefix = "/health";
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    public const string Startup = "/health/startup";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Live, Probe(_ => false));
        app.MapHealthChecks(Ready, Probe(check => check.Tags.Contains(HealthTags.Ready)));
        app.MapHealthChecks(Startup, Probe(check => check.Tags.Contains(HealthTags.Startup)));
        return app;
    }

    private static HealthCheckOptions Probe(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteAsync,
    };

    /// <summary><c>{"status": "Unhealthy", "checks": {"browser": {"status": "Unhealthy", "description": "…"}}}</c>.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var checks = new JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new JsonObject
            {
                ["status"] = entry.Status.ToString(),
                ["description"] = entry.Description,
                ["durationMs"] = Math.Round(entry.Duration.TotalMilliseconds, 1),
            };
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(new JsonObject { ["status"] = report.Status.ToString(), ["checks"] = checks }.ToJsonString());
    }
}
