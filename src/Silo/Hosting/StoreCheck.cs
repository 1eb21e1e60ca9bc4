using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionGrid.Silo.Hosting;

/// <summary>Readiness: the host's database (SQLite or PostgreSQL) answers and its grain table can be read.</summary>
public sealed class StoreCheck(DbDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = database.CreateCommand("SELECT COUNT(*) FROM (SELECT 1 FROM OrleansStorage LIMIT 1) AS probe");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("the store is readable");
        }
        catch (DbException ex)
        {
            return HealthCheckResult.Unhealthy($"the store cannot be read: {ex.Message}");
        }
    }
}
