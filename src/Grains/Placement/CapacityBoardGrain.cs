using SessionGrid.Contracts.Nodes;

namespace SessionGrid.Grains.Placement;

/// <summary>One silo's browser capacity as it last reported it, with the sessions it holds or queues.</summary>
[GenerateSerializer, Alias("sg.NodeCapacity")]
public sealed record NodeCapacity(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] int Free,
    [property: Id(2)] int Waiting,
    [property: Id(3)] long ReportedAt)
{
    [Id(4)] public IReadOnlyList<string> Sessions { get; init; } = [];

    /// <summary>What the console's Nodes page shows of the silo besides its capacity.</summary>
    [Id(5)] public NodeDetails? Details { get; init; }

    /// <summary>The silo drains: placement skips it while another silo is there (its <see cref="Free"/> is 0).</summary>
    [Id(6)] public bool Draining { get; init; }
}

/// <summary>A silo's name, country, most contexts, Chromium processes and versions, as it reports them.</summary>
[GenerateSerializer, Alias("sg.NodeDetails")]
public sealed record NodeDetails(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Country,
    [property: Id(2)] int Capacity,
    [property: Id(3)] int ChromiumProcesses,
    [property: Id(4)] string? ChromiumVersion,
    [property: Id(5)] string? Version);

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
    /// the sessions placed on each since its last report; the chosen one is charged for this session. A draining silo
    /// is chosen only when every candidate drains (the session then queues there and fails <c>no_capacity</c>).
    /// </summary>
    [Alias("Place")]
    Task<SiloAddress> PlaceAsync(string sessionId, SiloAddress[] candidates, int unknownFree);
}

public sealed class CapacityBoardGrain(TimeProvider clock) : Grain, ICapacityBoardGrain, INodeBoardGrain
{
    /// <summary>A report older than this is from a silo that stopped reporting: it is forgotten.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A session placed this long before its silo reports has reached the silo's slots (held or waiting) or already
    /// ended: either way the report counts it. (A session that opened and closed between two reports is never listed
    /// in one; without this it would be charged to its silo until it went stale.)
    /// </summary>
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(2);

    private readonly Dictionary<SiloAddress, NodeCapacity> _reports = [];

    /// <summary>Sessions placed and not yet seen in their silo's report (still on their way, so not in its free count).</summary>
    private readonly Dictionary<string, (SiloAddress Silo, long At)> _inFlight = new(StringComparer.Ordinal);

    public Task<SiloAddress> PlaceAsync(string sessionId, SiloAddress[] candidates, int unknownFree)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (id, _) in _inFlight.Where(p => now - p.Value.At > Stale.TotalMilliseconds).ToList())
        {
            _inFlight.Remove(id);
        }

        var chosen = BrowserCapacityPlacementDirector.MostFree(
            candidates, silo => _reports.TryGetValue(silo, out var report) && report.Draining, silo => FreeOf(silo, unknownFree));
        _inFlight[sessionId] = (chosen, now);
        return Task.FromResult(chosen);
    }

    private int FreeOf(SiloAddress silo, int unknownFree)
    {
        var reported = _reports.TryGetValue(silo, out var report) ? report.Free - report.Waiting : unknownFree;
        return reported - _inFlight.Values.Count(p => p.Silo.Equals(silo));
    }

    public Task<IReadOnlyList<NodeCapacity>> ExchangeAsync(NodeCapacity mine)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        _reports[mine.Silo] = mine with { ReportedAt = now };
        foreach (var session in mine.Sessions)
        {
            _inFlight.Remove(session);
        }

        foreach (var (id, _) in _inFlight.Where(p => p.Value.Silo.Equals(mine.Silo) && now - p.Value.At > Settled.TotalMilliseconds).ToList())
        {
            _inFlight.Remove(id);
        }

        foreach (var old in _reports.Values.Where(r => now - r.ReportedAt > Stale.TotalMilliseconds).ToList())
        {
            _reports.Remove(old.Silo);
        }

        return Task.FromResult<IReadOnlyList<NodeCapacity>>([.. _reports.Values]);
    }

    public Task<IReadOnlyList<NodeStatus>> NodesAsync()
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return Task.FromResult<IReadOnlyList<NodeStatus>>([.. _reports.Values
            .Where(r => now - r.ReportedAt <= Stale.TotalMilliseconds)
            .Select(r => new NodeStatus(
                r.Details?.Name ?? r.Silo.ToString(), r.Details?.Country, r.Details?.Capacity ?? r.Free, r.Free, r.Waiting, r.Sessions.Count,
                r.Details?.ChromiumProcesses ?? 0, r.Details?.ChromiumVersion, r.Details?.Version, r.ReportedAt) { Draining = r.Draining })
            .OrderBy(n => n.Name, StringComparer.Ordinal)]);
    }

    public async Task<NodeDrainState?> DrainAsync(string name)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_reports.Values.FirstOrDefault(r => now - r.ReportedAt <= Stale.TotalMilliseconds && r.Details?.Name == name) is not { } node)
        {
            return null;
        }

        var state = await Nodes.NodeDrainGrain.OnAsync(GrainFactory, node.Silo);
        if (state is not null && !node.Draining)
        {
            // Placement skips it from now on, not from its next report.
            _reports[node.Silo] = node with { Free = 0, Draining = true };
        }

        return state;
    }
}
