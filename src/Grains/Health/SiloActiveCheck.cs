using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using SessionGrid.Grains.Nodes;

namespace SessionGrid.Grains.Health;

/// <summary>
/// Startup and readiness: this node's silo has joined the cluster and is active (not joining, not shutting down), and
/// it does not drain (a draining silo takes no new session).
/// </summary>
public sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails silo, NodeDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status != SiloStatus.Active
            ? HealthCheckResult.Unhealthy($"silo {silo.Name} is {status.ToString().ToLowerInvariant()}")
            : drain.Started
                ? HealthCheckResult.Unhealthy($"silo {silo.Name} is draining: it takes no new session")
                : HealthCheckResult.Healthy($"silo {silo.Name} is active"));
    }
}
