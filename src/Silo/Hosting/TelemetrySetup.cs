using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SessionGrid.Api.Operations;
using SessionGrid.Grains.Telemetry;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// OpenTelemetry for the host: traces of every HTTP request, grain call (Orleans' activity propagation) and browser
/// action; SessionGrid's and Orleans' metrics with ASP.NET Core's; logs with their scopes (the task and session ids of
/// an action). Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard <c>OTEL_*</c>
/// variables configure it), and metrics scraped by Prometheus at <see cref="MetricsPath"/>.
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "sessiongrid";
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Orleans' activity sources: grain calls as the runtime and the application see them.</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public const string OrleansMeter = "Microsoft.Orleans";

    /// <param name="nodeName">This node's name: the <c>service.instance.id</c> of everything it exports.</param>
    public static WebApplicationBuilder AddSessionGridTelemetry(this WebApplicationBuilder builder, string nodeName)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: nodeName))
            .WithTracing(tracing => tracing
                .AddSource(SessionGridTelemetry.Name)
                .AddSource(OrleansSources)
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !IsProbe(http.Request.Path)))
            .WithMetrics(metrics => metrics
                .AddMeter(SessionGridTelemetry.Name, OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithLogging(configureBuilder: null, configureOptions: options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
            });
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The Prometheus scrape endpoint (no API key, like the health probes).</summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>Probes and scrapes are not traced: they would drown the requests that matter.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments(HealthEndpoints.Prefix);
}
