using Microsoft.Extensions.Logging;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// Watches the cluster's membership and, for every node declared dead, has that node's <see cref="IHostedSessionsGrain"/>
/// end or set aside the tasks it ran (every live silo does; the grain makes it once). So a task never stays
/// <c>running</c> after its node died, whether anyone reads it or not.
/// </summary>
public sealed partial class NodeLossWatcher(
    IClusterMembershipService membership,
    IGrainFactory grains,
    ILogger<NodeLossWatcher> log) : Hosting.SiloBackgroundWork
{
    private readonly HashSet<SiloAddress> _handled = [];
    protected override async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stop))
            {
                foreach (var dead in snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && FirstSight(m.SiloAddress)))
                {
                    _ = HandleAsync(dead.SiloAddress, dead.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    private async Task HandleAsync(SiloAddress silo, string name)
    {
        try
        {
            await grains.GetGrain<IHostedSessionsGrain>(HostedSessionsGrain.KeyOf(silo)).NodeLostAsync();
            LogNodeLost(name, silo);
        }
        catch (Exception ex)
        {
            // Another silo does it too; a read of each task reports it lost in any case.
            lock (_handled)
            {
                _handled.Remove(silo);
            }

            LogNodeLostFailed(ex, name);
        }
    }

    private bool FirstSight(SiloAddress silo)
    {
        lock (_handled)
        {
            return _handled.Add(silo);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Name} ({Silo}) was declared dead: its sessions' tasks were ended or set aside for restore")]
    private partial void LogNodeLost(string name, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not end the tasks of the lost node {Name}")]
    private partial void LogNodeLostFailed(Exception ex, string name);
}
