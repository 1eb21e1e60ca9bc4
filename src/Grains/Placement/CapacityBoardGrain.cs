namespace SessionGrid.Grains.Placement;

/// <summary>One silo's browser capacity as it last reported it.</summary>
[GenerateSerializer, Alias("sg.NodeCapacity")]
public sealed record NodeCapacity(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] int Free,
    [property: Id(2)] int Waiting,
    [property: Id(3)] long ReportedAt);

/// <summary>
/// Where the silos swap their free browser capacity (key 0): each reports its own every second and reads everyone's,
/// and placement asks it for the best silo, so concurrent placements through different gateways see each other.
/// Nothing is persisted: a new activation is full again within a report interval.
/// </summary>
[Alias("sg.ICapacityBoardGrain")]
public interface ICapacityBoardGrain : IGrainWithIntegerKey
{
    [Alias("Exchange")]
    Task<IReadOnlyList<NodeCapacity>> ExchangeAsync(NodeCapacity mine);

    /// <summary>
    /// The candidate with the most free contexts (a silo not heard from counts <paramref name="unknownFree"/>), counting
    /// the sessions placed on each since its last report; the chosen one is charged for this session.
    /// </summary>
    [Alias("Place")]
    Task<SiloAddress> PlaceAsync(SiloAddress[] candidates, int unknownFree);
}

public sealed class CapacityBoardGrain(TimeProvider clock) : Grain, ICapacityBoardGrain
{
    /// <summary>A report older than this is from a silo that stopped reporting: it is forgotten.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(15);

    /// <summary>A placement this long before a report may not be in it yet (the session still on its way), so it still counts.</summary>
    private const long InFlightMs = 1_000;

    private readonly Dictionary<SiloAddress, NodeCapacity> _reports = [];
    private readonly List<(SiloAddress Silo, long At)> _placements = [];

    public Task<SiloAddress> PlaceAsync(SiloAddress[] candidates, int unknownFree)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        _placements.RemoveAll(p => now - p.At > Stale.TotalMilliseconds);
        var chosen = BrowserCapacityPlacementDirector.MostFree(candidates, silo => FreeOf(silo, unknownFree));
        _placements.Add((chosen, now));
        return Task.FromResult(chosen);
    }

    private int FreeOf(SiloAddress silo, int unknownFree)
    {
        var report = _reports.GetValueOrDefault(silo);
        var since = report is null ? long.MinValue : report.ReportedAt - InFlightMs;
        return (report is null ? unknownFree : report.Free - report.Waiting) - _placements.Count(p => p.Silo.Equals(silo) && p.At > since);
    }

    public Task<IReadOnlyList<NodeCapacity>> ExchangeAsync(NodeCapacity mine)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        _reports[mine.Silo] = mine with { ReportedAt = now };
        foreach (var old in _reports.Values.Where(r => now - r.ReportedAt > Stale.TotalMilliseconds).ToList())
        {
            _reports.Remove(old.Silo);
        }

        return Task.FromResult<IReadOnlyList<NodeCapacity>>([.. _reports.Values]);
    }
}
