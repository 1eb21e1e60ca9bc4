using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SessionGrid.Grains.Placement;

namespace SessionGrid.Grains.Hosting;

public static class NodeSiloBuilderExtensions
{
    /// <summary>
    /// Names this node (the silo name, which filters call <c>node_uid</c>) and publishes its country
    /// (<c>country_iso</c>) as silo metadata, so every node's <see cref="NodeDirectory"/> can place by them.
    /// </summary>
    public static ISiloBuilder AddSessionGridNode(this ISiloBuilder silo, string name, string? country)
    {
        silo.Configure<SiloOptions>(o => o.SiloName = name);
        silo.UseSiloMetadata(new Dictionary<string, string> { [NodeDirectory.CountryKey] = (country ?? "").Trim().ToUpperInvariant() });
        return silo;
    }
}
