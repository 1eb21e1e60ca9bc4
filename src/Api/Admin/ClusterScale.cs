using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Nodes;

namespace SessionGrid.Api.Admin;

/// <summary>
/// The cluster's scale signal (<see cref="ScaleSignal"/>) as this node last read it from the capacity board, every
/// <see cref="Interval"/>, observed as the <c>sessiongrid.cluster.desired_silos</c> gauge (Prometheus:
/// <c>sessiongrid_cluster_desired_silos</c>) for an autoscaler that reads metrics; <c>GET /api/v1/admin/capacity</c>
/// reads the board itself.
/// </summary>
public sealed class ClusterScale(IGrainFactory grains, IOptions<ClusterScaleOptions> options) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly Meter Meter = new(TelemetryNames.SessionGrid);
    private static readonly ConcurrentDictionary<ClusterScale, byte> Nodes = new();

    private ScaleSignal? _last;

    static ClusterScale() =>
        Meter.CreateObservableGauge("sessiongrid.cluster.desired_silos",
            () => Nodes.Keys.Select(n => n._last).OfType<ScaleSignal>().Select(s => new Measurement<int>(s.Desired)).Take(1),
            "{silo}", "The silos the cluster needs for its busy and waiting sessions at SessionGrid:Cluster:TargetUtilisation");

    /// <summary>The signal now, from the capacity board.</summary>
    public async Task<ScaleSignal> ReadAsync()
    {
        var nodes = await grains.GetGrain<INodeBoardGrain>(0).NodesAsync();
        var signal = ScaleSignal.Of(nodes, options.Value.TargetUtilisation);
        _last = signal;
        return signal;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Nodes.TryAdd(this, 0);
        try
        {
            using var timer = new PeriodicTimer(Interval);
            do
            {
                try
                {
                    await ReadAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The cluster is not reachable yet (or for now): the gauge keeps its last value.
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            Nodes.TryRemove(this, out _);
        }
    }
}
