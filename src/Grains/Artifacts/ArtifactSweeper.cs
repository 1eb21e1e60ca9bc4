using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Artifacts;

/// <summary>Removes expired artifacts on a timer, so a file's bytes do not outlive its retention.</summary>
public sealed partial class ArtifactSweeper(
    IArtifactStore store,
    IOptions<SessionFileOptions> options,
    TimeProvider clock,
    ILogger<ArtifactSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepIntervalSeconds));
        using var timer = new PeriodicTimer(period, clock);
        do
        {
            try
            {
                var removed = await store.DeleteExpiredAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken);
                if (removed > 0)
                {
                    LogRemoved(removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired artifacts")]
    private partial void LogRemoved(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing expired artifacts failed; retrying at the next sweep")]
    private partial void LogSweepFailed(Exception ex);
}
