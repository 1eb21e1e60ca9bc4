namespace SessionGrid.Contracts.Nodes;

/// <summary>
/// One node (silo) as it last reported itself to the capacity board: its name and country, its browser capacity (held,
/// free, waiting), its Chromium processes and versions.
/// </summary>
[GenerateSerializer, Alias("sg.NodeStatus")]
public sealed record NodeStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Country,
    [property: Id(2)] int Capacity,
    [property: Id(3)] int Free,
    [property: Id(4)] int Waiting,
    [property: Id(5)] int Sessions,
    [property: Id(6)] int ChromiumProcesses,
    [property: Id(7)] string? ChromiumVersion,
    [property: Id(8)] string? Version,
    [property: Id(9)] long ReportedAt)
{
    /// <summary>The node is draining: it takes no new session and its capacity reads 0.</summary>
    [Id(10)] public bool Draining { get; init; }
}

/// <summary>
/// A node's drain as it stands: when it started (Unix ms), when it ends what is left (Unix ms), the sessions it still
/// holds or queues, and whether this request found it already draining.
/// </summary>
[GenerateSerializer, Alias("sg.NodeDrainState")]
public sealed record NodeDrainState(
    [property: Id(0)] string Node,
    [property: Id(1)] long StartedAt,
    [property: Id(2)] long Deadline,
    [property: Id(3)] int Sessions,
    [property: Id(4)] bool AlreadyDraining);

/// <summary>
/// The capacity board (key 0) read from outside the engine: every node that reported in the last seconds, by name.
/// The same grain as the engine's capacity board, which the silos report to every second.
/// </summary>
[Alias("sg.INodeBoardGrain")]
public interface INodeBoardGrain : IGrainWithIntegerKey
{
    [Alias("Nodes")]
    Task<IReadOnlyList<NodeStatus>> NodesAsync();

    /// <summary>Starts the drain of the node named <paramref name="name"/> (again: its drain as it stands); null when no live node has that name.</summary>
    [Alias("Drain")]
    Task<NodeDrainState?> DrainAsync(string name);
}
