using Microsoft.Extensions.Diagnostics.HealthChecks;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Health;

/// <summary>
/// Readiness: this host can give a session a browser. Free while a Chromium process runs; otherwise it launches one
/// through the <see cref="BrowserHost"/> (which keeps it, as it would for the next session). A failed launch is
/// remembered for <see cref="FailureTtl"/>, so frequent probes do not relaunch a Chromium that cannot start.
/// </summary>
public sealed class BrowserLaunchCheck(BrowserHost browsers, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan FailureTtl = TimeSpan.FromSeconds(10);

    private Failure? _lastFailure;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (browsers.ProcessCount is > 0 and var running)
        {
            return HealthCheckResult.Healthy($"{running} Chromium processes running");
        }

        if (Volatile.Read(ref _lastFailure) is { } failure && clock.GetUtcNow() - failure.At < FailureTtl)
        {
            return HealthCheckResult.Unhealthy(failure.Reason);
        }

        try
        {
            await browsers.EnsureRunningAsync(cancellationToken);
            Volatile.Write(ref _lastFailure, null);
            return HealthCheckResult.Healthy("Chromium started");
        }
        catch (BrowserUnavailableException ex)
        {
            Volatile.Write(ref _lastFailure, new Failure(clock.GetUtcNow(), ex.Message));
            return HealthCheckResult.Unhealthy(ex.Message);
        }
        catch (ObjectDisposedException)
        {
            return HealthCheckResult.Unhealthy("the browser host is stopping");
        }
    }

    private sealed record Failure(DateTimeOffset At, string Reason);
}
