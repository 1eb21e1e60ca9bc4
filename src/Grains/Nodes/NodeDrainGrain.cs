using Orleans.Runtime.Placement;
using SessionGrid.Contracts.Nodes;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Sessions;

namespace SessionGrid.Grains.Nodes;

/// <summary>Starts the drain of the silo it lives on (key: that silo's address), from any node of the cluster.</summary>
[Alias("sg.INodeDrainGrain")]
public interface INodeDrainGrain : IGrainWithStringKey
{
    /// <summary>Starts (or answers) this silo's drain; null when the activation is not on the silo its key names.</summary>
    [Alias("Drain")]
    Task<NodeDrainState?> DrainAsync();
}

[BrowserCapacityPlacement]
public sealed class NodeDrainGrain(NodeDrain drain, ILocalSiloDetails local) : Grain, INodeDrainGrain
{
    /// <summary>Starts the drain of <paramref name="silo"/>, through the placement hint that puts the grain there.</summary>
    public static async Task<NodeDrainState?> OnAsync(IGrainFactory grains, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await grains.GetGrain<INodeDrainGrain>(HostedSessionsGrain.KeyOf(silo)).DrainAsync();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    public Task<NodeDrainState?> DrainAsync()
    {
        if (this.GetPrimaryKeyString() != HostedSessionsGrain.KeyOf(local.SiloAddress))
        {
            // Placed elsewhere (the silo had left the cluster): nothing to drain here.
            DeactivateOnIdle();
            return Task.FromResult<NodeDrainState?>(null);
        }

        return Task.FromResult<NodeDrainState?>(drain.Start());
    }
}
