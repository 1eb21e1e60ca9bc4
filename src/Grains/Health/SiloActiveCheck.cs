using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace SessionGrid.Grains.Health;

/// <summary>Startup and readiness: this node's silo has joined the cluster and is active (not joining, not shutting down).</summary>
public sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.Name} is active")
            : HealthCheckResult.Unhealthy($"silo {silo.Name} is {status.ToString().ToLowerInvariant()}"));
    }
}
