using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionGrid.Silo.Hosting;

/// <summary>Startup and readiness of an API-only process: the cluster answers it and has at least one active silo.</summary>
public sealed class ClusterReachableCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"{silos.Count} active silos")
                : HealthCheckResult.Unhealthy("the cluster has no active silo");
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"the cluster cannot be reached: {ex.Message}");
        }
    }
}
