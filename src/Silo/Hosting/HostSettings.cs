using Microsoft.Extensions.Configuration;

namespace SessionGrid.Silo.Hosting;

/// <summary>How a host stores its state: one process on the embedded store, or a silo of a cluster.</summary>
public enum HostMode
{
    Embedded,
    Cluster,
}

/// <summary>Host-level settings under <c>SessionGrid</c> (mode, data folder, Orleans ports, the node's name and country).</summary>
public sealed class HostSettings
{
    public const string DefaultUrls = "http://localhost:8080";

    /// <summary><c>SessionGrid:Mode</c>: <c>embedded</c> (the default) or <c>cluster</c>.</summary>
    public HostMode Mode { get; init; } = HostMode.Embedded;

    public string DataDir { get; init; } = "./data";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>This node's name (<c>SessionGrid:Node:Name</c>, the dat.ai <c>node_uid</c>); the machine name by default.</summary>
    public string NodeName { get; init; } = Environment.MachineName;

    /// <summary>This node's ISO country (<c>SessionGrid:Node:Country</c>, the dat.ai <c>country_iso</c>); none by default.</summary>
    public string? NodeCountry { get; init; }

    public static HostSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("SessionGrid");
        return new HostSettings
        {
            Mode = section["Mode"]?.ToLowerInvariant() switch
            {
                null or "" or "embedded" => HostMode.Embedded,
                "cluster" => HostMode.Cluster,
                var other => throw new InvalidOperationException($"SessionGrid:Mode must be embedded or cluster (got '{other}')"),
            },
            DataDir = Path.GetFullPath(section["DataDir"] is { Length: > 0 } dir ? dir : "./data"),
            SiloPort = section.GetValue("Orleans:SiloPort", 11111),
            GatewayPort = section.GetValue("Orleans:GatewayPort", 30000),
            NodeName = section["Node:Name"] is { Length: > 0 } name ? name : Environment.MachineName,
            NodeCountry = section["Node:Country"],
        };
    }
}
