using Microsoft.Extensions.Configuration;

namespace SessionGrid.Silo.Hosting;

/// <summary>Host-level settings under <c>SessionGrid</c> (data folder, Orleans ports).</summary>
public sealed class HostSettings
{
    public const string DefaultUrls = "http://localhost:8080";

    public string DataDir { get; init; } = "./data";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    public static HostSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("SessionGrid");
        return new HostSettings
        {
            DataDir = Path.GetFullPath(section["DataDir"] is { Length: > 0 } dir ? dir : "./data"),
            SiloPort = section.GetValue("Orleans:SiloPort", 11111),
            GatewayPort = section.GetValue("Orleans:GatewayPort", 30000),
        };
    }
}
