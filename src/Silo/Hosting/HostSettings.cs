using Microsoft.Extensions.Configuration;

namespace SessionGrid.Silo.Hosting;

/// <summary>Host-level settings under <c>SessionGrid</c> (data folder, Orleans ports, the node's name and country).</summary>
public sealed class HostSettings
{
    public const string DefaultUrls = "http://localhost:8080";

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
            DataDir = Path.GetFullPath(section["DataDir"] is { Length: > 0 } dir ? dir : "./data"),
            SiloPort = section.GetValue("Orleans:SiloPort", 11111),
            GatewayPort = section.GetValue("Orleans:GatewayPort", 30000),
            NodeName = section["Node:Name"] is { Length: > 0 } name ? name : Environment.MachineName,
            NodeCountry = section["Node:Country"],
        };
    }
}
