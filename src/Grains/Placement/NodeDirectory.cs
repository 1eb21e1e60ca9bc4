using Orleans.Runtime.MembershipService.SiloMetadata;
using SessionGrid.Contracts.Browsing;

namespace SessionGrid.Grains.Placement;

/// <summary>A live node (silo) as placement sees it: its name (the <c>node_uid</c>), its configured country, its address.</summary>
public sealed record NodeInfo(string Name, string? Country, SiloAddress Address);

/// <summary>
/// The cluster's live nodes with the country each one configured (<c>SessionGrid:Node:Country</c>, published as
/// silo metadata), for placing sessions by node filter. A session goes to its chosen node through Orleans' placement
/// hint (<see cref="Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey"/>), which every built-in director honours.
/// </summary>
public sealed class NodeDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata, ILocalSiloDetails local, ClusterCapacity capacity, SessionSlots slots)
{
    /// <summary>The silo metadata key under which a node publishes its country.</summary>
    public const string CountryKey = "sessiongrid.country";

    /// <summary>The active nodes that do not drain.</summary>
    public IReadOnlyList<NodeInfo> Live() =>
        [.. membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !capacity.IsDraining(m.SiloAddress))
            .Select(m => new NodeInfo(m.Name, Country(m.SiloAddress), m.SiloAddress))
            .OrderBy(n => n.Name, StringComparer.Ordinal)];

    /// <summary>The live nodes a filter allows.</summary>
    public IReadOnlyList<NodeInfo> Matching(NodeFilter filter) =>
        [.. Live().Where(n =>
            (filter.NodeUid is null || string.Equals(n.Name, filter.NodeUid, StringComparison.Ordinal))
            && (filter.CountryIso is null || string.Equals(n.Country, filter.CountryIso, StringComparison.OrdinalIgnoreCase)))];

    public string LocalName => local.Name;

    /// <summary>
    /// Up to <paramref name="count"/> distinct nodes from <paramref name="candidates"/>: those with the most free browser
    /// capacity first; among equals this node first, then at random.
    /// </summary>
    public IReadOnlyList<NodeInfo> Pick(IReadOnlyList<NodeInfo> candidates, int count) =>
        [.. candidates
            .OrderByDescending(n => capacity.FreeOn(n.Address) ?? slots.MaxContexts)
            .ThenBy(n => n.Name == LocalName ? 0 : 1)
            .ThenBy(_ => Random.Shared.Next())
            .Take(count)];

    private string? Country(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(CountryKey, out var country) && country.Length > 0 ? country : null;
}
