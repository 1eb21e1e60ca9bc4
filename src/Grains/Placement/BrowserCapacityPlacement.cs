using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SessionGrid.Grains.Placement;

/// <summary>Place a session on the compatible silo with the most free browser capacity (<see cref="ClusterCapacity"/>).</summary>
[GenerateSerializer, Alias("sg.BrowserCapacityPlacement")]
public sealed class BrowserCapacityPlacement : PlacementStrategy;

/// <summary>Marks a grain (the session) placed by <see cref="BrowserCapacityPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class BrowserCapacityPlacementAttribute() : PlacementAttribute(new BrowserCapacityPlacement());

/// <summary>
/// Chooses a session's silo: the one a caller named through the placement hint (a node filter chose it), else the
/// compatible silo with the most free contexts, a random one among equals, as the <see cref="ICapacityBoardGrain"/>
/// decides (it sees every gateway's placements); this silo's own view when the board does not answer in time. Full
/// silos are still chosen when every silo is full: the session then waits in that silo's queue. A draining silo is
/// chosen only when every silo drains.
/// </summary>
public sealed class BrowserCapacityPlacementDirector(ClusterCapacity capacity, SessionSlots slots, IGrainFactory grains) : IPlacementDirector
{
    private static readonly TimeSpan BoardTimeout = TimeSpan.FromSeconds(5);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint)
        {
            return hint;
        }

        try
        {
            return await grains.GetGrain<ICapacityBoardGrain>(0).PlaceAsync(target.GrainIdentity.Key.ToString()!, silos, slots.MaxContexts).WaitAsync(BoardTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            var chosen = MostFree(silos, capacity.IsDraining, silo => capacity.FreeOn(silo) ?? slots.MaxContexts);
            capacity.Placed(chosen);
            return chosen;
        }
    }

    /// <summary>
    /// The silo with the most free contexts among those that do not drain (among all when every one drains); a random
    /// one among equals.
    /// </summary>
    public static SiloAddress MostFree(SiloAddress[] silos, Func<SiloAddress, bool> draining, Func<SiloAddress, int> free)
    {
        var open = silos.Where(silo => !draining(silo)).ToArray();
        return MostFree(open.Length > 0 ? open : silos, free);
    }

    /// <summary>The silo with the most free contexts; a random one among equals.</summary>
    private static SiloAddress MostFree(IEnumerable<SiloAddress> silos, Func<SiloAddress, int> free) =>
        silos.Select(silo => (Silo: silo, Free: free(silo), Tie: Random.Shared.Next()))
            .OrderByDescending(s => s.Free)
            .ThenBy(s => s.Tie)
            .First().Silo;
}
