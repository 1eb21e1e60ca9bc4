using Microsoft.Extensions.Logging;

namespace SessionGrid.Grains.Placement;

/// <summary>
/// This silo's view of every silo's free browser capacity, refreshed each second through the
/// <see cref="ICapacityBoardGrain"/> (where it also reports its own <see cref="SessionSlots"/>). Placement reads it
/// without a call; sessions it placed since the last refresh count against the silo they went to.
/// </summary>
public sealed partial class ClusterCapacity(
    SessionSlots slots,
    ILocalSiloDetails local,
    Browser.BrowserHost browsers,
    Orleans.Runtime.MembershipService.SiloMetadata.ISiloMetadataCache metadata,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<ClusterCapacity> log) : Hosting.SiloBackgroundWork
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Dictionary<SiloAddress, int> _free = [];
    private HashSet<SiloAddress> _draining = [];
    private readonly Dictionary<SiloAddress, int> _placedSince = [];
    /// <summary>The free contexts of <paramref name="silo"/> as last known, less what was placed there since; null when unknown.</summary>
    public int? FreeOn(SiloAddress silo)
    {
        if (silo.Equals(local.SiloAddress))
        {
            return slots.Free - slots.Waiting;
        }

        lock (_gate)
        {
            return _free.TryGetValue(silo, out var free) ? free - _placedSince.GetValueOrDefault(silo) : null;
        }
    }

    /// <summary>Whether <paramref name="silo"/> drains (this silo: now; another: as last reported).</summary>
    public bool IsDraining(SiloAddress silo)
    {
        if (silo.Equals(local.SiloAddress))
        {
            return slots.Draining;
        }

        lock (_gate)
        {
            return _draining.Contains(silo);
        }
    }

    /// <summary>Counts a session placed on <paramref name="silo"/> until the next refresh tells its real capacity.</summary>
    public void Placed(SiloAddress silo)
    {
        lock (_gate)
        {
            _placedSince[silo] = _placedSince.GetValueOrDefault(silo) + 1;
        }
    }

    /// <summary>SessionGrid's version, as the assembly states it (without the commit).</summary>
    private static readonly string? Version = typeof(ClusterCapacity).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0];

    private string? Country() =>
        metadata.GetSiloMetadata(local.SiloAddress).Metadata.TryGetValue(NodeDirectory.CountryKey, out var country) && country.Length > 0 ? country : null;

    /// <summary>Reports this silo's capacity and reads everyone's once.</summary>
    public async Task RefreshAsync()
    {
        var mine = new NodeCapacity(local.SiloAddress, slots.Free, slots.Waiting, clock.GetUtcNow().ToUnixTimeMilliseconds())
        {
            Sessions = slots.Sessions,
            Details = new NodeDetails(local.Name, Country(), slots.MaxContexts, browsers.ProcessCount, browsers.ChromiumVersion, Version),
            Draining = slots.Draining,
        };
        var all = await grains.GetGrain<ICapacityBoardGrain>(0).ExchangeAsync(mine);
        lock (_gate)
        {
            _free = all.ToDictionary(r => r.Silo, r => r.Free - r.Waiting);
            _draining = [.. all.Where(r => r.Draining).Select(r => r.Silo)];
            _placedSince.Clear();
        }
    }

    protected override async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(RefreshInterval, clock);
        do
        {
            try
            {
                await RefreshAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stop).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Browser capacity not exchanged: {Reason}")]
    private partial void LogRefreshFailed(string reason);
}
