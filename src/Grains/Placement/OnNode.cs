using Orleans.Runtime.Placement;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Placement;

/// <summary>Opens a session on a chosen node, through the placement hint every built-in director honours.</summary>
public static class OnNode
{
    /// <summary>Opens <paramref name="session"/> on <paramref name="node"/>; false when no browser could be opened there.</summary>
    public static async Task<bool> OpenSessionAsync(ISessionGrain session, SessionSpec spec, SiloAddress node)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, node);
        try
        {
            await session.OpenAsync(spec);
            return (await session.DescribeAsync()).Open;
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }
}
