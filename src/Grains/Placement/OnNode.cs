using Orleans.Runtime.Placement;

namespace SessionGrid.Grains.Placement;

/// <summary>Places the grain a call activates on a chosen node, through the placement hint every built-in director honours.</summary>
public static class OnNode
{
    public static async Task<T> CallAsync<T>(SiloAddress node, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, node);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }
}
