using System.Net;
using Microsoft.Extensions.Configuration;

namespace SessionGrid.Silo.Hosting;

/// <summary>Where a host keeps its state: the embedded SQLite file (one process), or PostgreSQL (a cluster of silos).</summary>
public enum StorageKind
{
    Sqlite,
    Postgres,
}

/// <summary>What a process runs: a silo (browsers, grains) with the API co-hosted, or the API alone as a cluster client.</summary>
public enum HostRole
{
    Silo,
    Api,
}

/// <summary>Host-level settings under <c>SessionGrid</c> (storage, data folder, Orleans ports, the node's name and country).</summary>
public sealed class HostSettings
{
    public const string DefaultUrls = "http://localhost:8080";

    /// <summary><c>--role</c> or <c>SessionGrid:Role</c>: <c>silo</c> (the default) or <c>api</c>.</summary>
    public HostRole Role { get; init; } = HostRole.Silo;

    /// <summary><c>SessionGrid:Storage</c>: <c>sqlite</c> (the default, embedded) or <c>postgres</c> (cluster).</summary>
    public StorageKind Storage { get; init; } = StorageKind.Sqlite;

    /// <summary><c>SessionGrid:ConnectionString</c>: the PostgreSQL connection string (postgres storage only).</summary>
    public string? ConnectionString { get; init; }

    /// <summary><c>SessionGrid:ClusterId</c>: the Orleans cluster and service id every silo and client of one cluster shares.</summary>
    public string ClusterId { get; init; } = "sessiongrid";

    public string DataDir { get; init; } = "./data";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary><c>SessionGrid:Orleans:AdvertisedIp</c>: the address other silos and clients reach this one at (postgres storage).</summary>
    public IPAddress AdvertisedIp { get; init; } = IPAddress.Loopback;

    /// <summary>This node's name (<c>SessionGrid:Node:Name</c>, the dat.ai <c>node_uid</c>); the machine name by default.</summary>
    public string NodeName { get; init; } = Environment.MachineName;

    /// <summary>This node's ISO country (<c>SessionGrid:Node:Country</c>, the dat.ai <c>country_iso</c>); none by default.</summary>
    public string? NodeCountry { get; init; }

    public static HostSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("SessionGrid");
        var storage = section["Storage"]?.ToLowerInvariant() switch
        {
            null or "" or "sqlite" => StorageKind.Sqlite,
            "postgres" or "postgresql" => StorageKind.Postgres,
            var other => throw new InvalidOperationException($"SessionGrid:Storage must be sqlite or postgres (got '{other}')"),
        };
        var connectionString = section["ConnectionString"];
        if (storage == StorageKind.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("SessionGrid:Storage=postgres needs SessionGrid:ConnectionString (a PostgreSQL connection string).");
        }

        var role = (configuration["role"] ?? section["Role"])?.ToLowerInvariant() switch
        {
            null or "" or "silo" => HostRole.Silo,
            "api" => HostRole.Api,
            var other => throw new InvalidOperationException($"--role (SessionGrid:Role) must be silo or api (got '{other}')"),
        };
        var advertised = section["Orleans:AdvertisedIp"];
        return new HostSettings
        {
            Role = role,
            Storage = storage,
            ConnectionString = connectionString,
            ClusterId = section["ClusterId"] is { Length: > 0 } cluster ? cluster : "sessiongrid",
            DataDir = Path.GetFullPath(section["DataDir"] is { Length: > 0 } dir ? dir : "./data"),
            SiloPort = section.GetValue("Orleans:SiloPort", 11111),
            GatewayPort = section.GetValue("Orleans:GatewayPort", 30000),
            AdvertisedIp = string.IsNullOrEmpty(advertised) ? IPAddress.Loopback
                : IPAddress.TryParse(advertised, out var ip) ? ip
                : throw new InvalidOperationException($"SessionGrid:Orleans:AdvertisedIp must be an IP address (got '{advertised}')"),
            NodeName = section["Node:Name"] is { Length: > 0 } name ? name : Environment.MachineName,
            NodeCountry = section["Node:Country"],
        };
    }
}
