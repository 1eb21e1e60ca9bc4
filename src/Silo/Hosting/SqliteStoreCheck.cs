using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SessionGrid.Silo.Hosting;

/// <summary>Readiness: the embedded store opens and its grain table can be read.</summary>
public sealed class SqliteStoreCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM (SELECT 1 FROM OrleansStorage LIMIT 1)";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("the SQLite store is readable");
        }
        catch (SqliteException ex)
        {
            return HealthCheckResult.Unhealthy($"the SQLite store cannot be read: {ex.Message}");
        }
    }
}
