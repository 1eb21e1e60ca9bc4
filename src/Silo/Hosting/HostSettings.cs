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

    /// <summary>The configuration keys the host reads itself (options classes read the others by section).</summary>
    public static class Keys
    {
        public const string Role = "SessionGrid:Role";
        public const string Storage = "SessionGrid:Storage";
        public const string ConnectionString = "SessionGrid:ConnectionString";
        public const string ClusterId = "SessionGrid:ClusterId";
        public const string DataDir = "SessionGrid:DataDir";
        public const string SiloPort = "SessionGrid:Orleans:SiloPort";
        public const string GatewayPort = "SessionGrid:Orleans:GatewayPort";
        public const string AdvertisedIp = "SessionGrid:Orleans:AdvertisedIp";
        public const string NodeName = "SessionGrid:Node:Name";
        public const string NodeCountry = "SessionGrid:Node:Country";
        public const string ApiKeys = "SessionGrid:ApiKeys";

        public static IReadOnlyList<string> All { get; } =
            [.. typeof(Keys).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];
    }

    public static HostSettings From(IConfiguration configuration)
    {
        var storage = configuration[Keys.Storage]?.ToLowerInvariant() switch
        {
            null or "" or "sqlite" => StorageKind.Sqlite,
            "postgres" or "postgresql" => StorageKind.Postgres,
            var other => throw new InvalidOperationException($"{Keys.Storage} must be sqlite or postgres (got '{other}')"),
        };
        var connectionString = configuration[Keys.ConnectionString];
        if (storage == StorageKind.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{Keys.Storage}=postgres needs {Keys.ConnectionString} (a PostgreSQL connection string).");
        }

        var role = (configuration["role"] ?? configuration[Keys.Role])?.ToLowerInvariant() switch
        {
            null or "" or "silo" => HostRole.Silo,
            "api" => HostRole.Api,
            var other => throw new InvalidOperationException($"--role ({Keys.Role}) must be silo or api (got '{other}')"),
        };
        var advertised = configuration[Keys.AdvertisedIp];
        return new HostSettings
        {
            Role = role,
            Storage = storage,
            ConnectionString = connectionString,
            ClusterId = configuration[Keys.ClusterId] is { Length: > 0 } cluster ? cluster : "sessiongrid",
            DataDir = Path.GetFullPath(configuration[Keys.DataDir] is { Length: > 0 } dir ? dir : "./data"),
            SiloPort = configuration.GetValue(Keys.SiloPort, 11111),
            GatewayPort = configuration.GetValue(Keys.GatewayPort, 30000),
            AdvertisedIp = string.IsNullOrEmpty(advertised) ? IPAddress.Loopback
                : IPAddress.TryParse(advertised, out var ip) ? ip
                : throw new InvalidOperationException($"{Keys.AdvertisedIp} must be an IP address (got '{advertised}')"),
            NodeName = configuration[Keys.NodeName] is { Length: > 0 } name ? name : Environment.MachineName,
            NodeCountry = configuration[Keys.NodeCountry],
        };
    }
}
