using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Nodes;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Placement;

namespace SessionGrid.Grains.Nodes;

/// <summary>
/// This node's drain, started once by SIGTERM (<see cref="DrainOnStop"/>) or the admin API (<see cref="NodeDrainGrain"/>):
/// the node takes no new session from that moment (its slots grant none, its capacity reads 0, placement skips it), its
/// profile-backed sessions move to another node as soon as no command of theirs runs and another node has a free browser
/// (saved, reopened there, <c>session_restored</c>), the others have <see cref="NodeOptions.DrainSeconds"/> to end by themselves; then what is
/// left moves (profile sessions, interrupting their command) or ends <c>node_draining</c>, and what still waits for a
/// browser here fails <c>no_capacity</c>. When no other node is live, nothing can move: everything ends that way.
/// </summary>
public sealed partial class NodeDrain(
    SessionSlots slots,
    ClusterCapacity capacity,
    NodeDirectory nodes,
    IGrainFactory grains,
    ILocalSiloDetails local,
    IOptions<NodeOptions> options,
    TimeProvider clock,
    ILogger<NodeDrain> log)
{
    /// <summary>How often the drain looks for sessions that can move or have ended.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private Task? _drain;
    private long _startedAt;
    private long _deadline;

    /// <summary>Whether the drain has started.</summary>
    public bool Started
    {
        get
        {
            lock (_gate)
            {
                return _drain is not null;
            }
        }
    }

    /// <summary>Starts the drain unless it runs already; answers it as it stands.</summary>
    public NodeDrainState Start()
    {
        bool already;
        lock (_gate)
        {
            already = _drain is not null;
            if (!already)
            {
                _startedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
                _deadline = _startedAt + options.Value.DrainSeconds * 1000L;
                slots.Drain();
                _drain = Task.Run(RunAsync, CancellationToken.None);
            }
        }

        return new NodeDrainState(local.Name, _startedAt, _deadline, slots.Sessions.Count, already);
    }

    /// <summary>Starts the drain unless it runs already, and waits for its end (or <paramref name="cancellationToken"/>).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Start();
        await _drain!.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var tally = new Tally();
        try
        {
            // Placement everywhere skips this node from now on, not from its next report.
            await capacity.RefreshAsync();
        }
        catch (Exception ex)
        {
            LogReportFailed(ex.Message);
        }

        LogStarted(local.Name, options.Value.DrainSeconds, slots.Holders.Count);
        var moves = new List<Task>();
        var moved = new HashSet<string>(StringComparer.Ordinal);
        while (clock.GetUtcNow().ToUnixTimeMilliseconds() < _deadline && slots.Holders.Count > 0)
        {
            if (OtherNodeHasRoom())
            {
                foreach (var session in slots.Holders.Where(s => !moved.Contains(s)))
                {
                    var handed = await TryAsync(() => Session(session).HandOverAsync(force: false));
                    LogTried(session, handed);
                    if (handed)
                    {
                        moved.Add(session);
                        moves.Add(ResumeAsync(session, tally));
                    }
                }
            }

            await Task.Delay(Poll, clock);
        }

        // Out of time: what can move moves now, the rest ends.
        foreach (var session in slots.Holders.Where(s => !moved.Contains(s)))
        {
            if (OtherNodeLive() && await TryAsync(() => Session(session).HandOverAsync(force: true)))
            {
                moved.Add(session);
                moves.Add(ResumeAsync(session, tally));
                continue;
            }

            var detail = $"{SessionEndReasons.NodeDraining}: the session's node ({local.Name}) was drained (scale-down or upgrade) " +
                $"and the session did not end within {options.Value.DrainSeconds} seconds";
            await TryAsync(async () =>
            {
                await Session(session).BrowserGoneAsync(SessionEndReasons.NodeDraining, detail);
                return true;
            });
            Interlocked.Increment(ref tally.Ended);
        }

        slots.EndQueue();
        await Task.WhenAll(moves);
        LogDrained(local.Name, (clock.GetUtcNow().ToUnixTimeMilliseconds() - _startedAt) / 1000.0, tally.Restored, tally.Ended);
    }

    /// <summary>Opens a handed-over session on another node at once (placement skips this one).</summary>
    private async Task ResumeAsync(string session, Tally tally)
    {
        if (await TryAsync(async () => (await Session(session).ResumeAsync()).Open))
        {
            Interlocked.Increment(ref tally.Restored);
        }
    }

    private bool OtherNodeLive() => nodes.Live().Any(n => !n.Address.Equals(local.SiloAddress));

    /// <summary>Whether another live node has a free browser now (a session moved to a full one would wait there).</summary>
    private bool OtherNodeHasRoom() => nodes.Live().Any(n => !n.Address.Equals(local.SiloAddress) && capacity.FreeOn(n.Address) > 0);

    private ISessionGrain Session(string id) => grains.GetGrain<ISessionGrain>(id);

    private async Task<bool> TryAsync(Func<Task<bool>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex)
        {
            LogCallFailed(ex.Message);
            return false;
        }
    }

    private sealed class Tally
    {
        public int Restored;
        public int Ended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} drains: it takes no new session; {Sessions} open sessions have up to {DrainSeconds} s")]
    private partial void LogStarted(string node, int drainSeconds, int sessions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} drained in {Seconds:0.0} s: {Restored} sessions moved to other nodes, {Ended} ended node_draining")]
    private partial void LogDrained(string node, double seconds, int restored, int ended);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hand-over of {Session}: {Handed}")]
    private partial void LogTried(string session, bool handed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The draining node could not report itself at once: {Reason}")]
    private partial void LogReportFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A draining node's call to a session failed: {Reason}")]
    private partial void LogCallFailed(string reason);
}

/// <summary>
/// A cluster silo's SIGTERM: the drain runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, before any hosted
/// service stops, so the silo still serves grain calls and HTTP while its sessions finish or move. Registered after
/// the Orleans silo; the host's shutdown timeout must outlast the drain.
/// </summary>
public sealed class DrainOnStop(NodeDrain drain) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await drain.DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout passed first: the stop goes on, and what is left ends host_stopping.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
