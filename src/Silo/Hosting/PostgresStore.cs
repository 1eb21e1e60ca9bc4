using System.Data.Common;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// The cluster store: PostgreSQL holds Orleans membership (which silos and gateways exist), grain state, reminders
/// and the artifacts, through the project's own scripts in <c>db/postgresql</c>, applied by the <c>migrate</c> command.
/// </summary>
public static class PostgresStore
{
    /// <summary>The ADO.NET invariant under which Orleans loads Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>A transaction-scoped advisory lock, so two migrate runs (two Jobs, a Job and a person) apply scripts one at a time.</summary>
    private const string MigrationLock = "SELECT pg_advisory_xact_lock(7419312031);";

    public static DbDataSource DataSource(string connectionString) => NpgsqlDataSource.Create(connectionString);

    /// <summary>Applies the scripts not applied yet; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var database = DataSource(connectionString);
        return await SqlMigrations.ApplyAsync(database, "postgresql", MigrationLock, cancellationToken);
    }

    /// <summary>Refuses to run on a database the <c>migrate</c> command has not brought up to date.</summary>
    public static async Task EnsureMigratedAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var database = DataSource(connectionString);
        var pending = await SqlMigrations.PendingAsync(database, "postgresql", cancellationToken);
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database lacks SessionGrid's scripts {string.Join(", ", pending)}: run `SessionGrid.Silo migrate` (the Kubernetes migrate Job) first.");
        }
    }

    /// <summary>An API's way into the cluster: the gateways of active silos, read from PostgreSQL.</summary>
    public static IClientBuilder UsePostgres(this IClientBuilder client, HostSettings settings)
    {
        client.Configure<ClusterOptions>(o => Identify(o, settings));
        return client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = settings.ConnectionString!;
        });
    }

    /// <summary>Membership, grain state and reminders of a silo on PostgreSQL.</summary>
    public static ISiloBuilder UsePostgres(this ISiloBuilder silo, HostSettings settings)
    {
        var connectionString = settings.ConnectionString!;
        silo.Configure<ClusterOptions>(o => Identify(o, settings));
        // A killed silo is declared dead within about 3 probes x 3 s (plus votes), well inside a minute, even on a busy
        // machine: probe timeouts are not stretched while this silo's own health looks degraded.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(3);
            o.NumMissedProbesLimit = 3;
            o.ExtendProbeTimeoutDuringDegradation = false;
        });
        // The distributed grain directory recovers a lost silo's directory range from the survivors' activations; the
        // default directory would deactivate every grain whose registration the lost silo held, sessions included.
#pragma warning disable ORLEANSEXP003
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.ConfigureEndpoints(settings.AdvertisedIp, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !System.Net.IPAddress.IsLoopback(settings.AdvertisedIp));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
    }

    /// <summary>The cluster every silo and API of one deployment joins: its id is also its service id.</summary>
    private static void Identify(ClusterOptions cluster, HostSettings settings)
    {
        cluster.ClusterId = settings.ClusterId;
        cluster.ServiceId = settings.ClusterId;
    }
}
