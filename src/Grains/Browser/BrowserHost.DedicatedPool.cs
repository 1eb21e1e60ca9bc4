using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The pool of dedicated browsers launched ahead, and the one launcher of every default dedicated browser (desktop,
/// default settings). A session takes a ready browser, or waits for the next one the launcher finishes (whichever
/// launch ends first, its own or a refill's). One loop decides what to launch:
/// <list type="bullet">
/// <item>for sessions waiting: up to <see cref="BrowserOptions.MaxConcurrentLaunches"/> launches at once, at once;</item>
/// <item>refills up to the pool's target, at most <see cref="BrowserOptions.WarmRefillLaunches"/> at once: at once while
/// the pool is at or below a quarter of its target (a burst drained it: refill under load), else in the host's quiet
/// (<see cref="BrowserOptions.WarmRefillQuietMs"/>);</item>
/// <item>the target is <see cref="BrowserOptions.WarmDedicated"/> while dedicated sessions are being opened, plus one
/// for each session that found the pool empty, up to <see cref="BrowserOptions.WarmDedicatedCeiling"/>; and
/// <see cref="BrowserOptions.WarmDedicatedIdle"/> (also at start) once none was opened for
/// <see cref="BrowserOptions.WarmDedicatedIdleSeconds"/>: the browsers beyond it are closed, and the growth forgotten.</item>
/// </list>
/// </summary>
public sealed partial class BrowserHost
{
    /// <summary>A default dedicated browser launched ahead, with its page's download watch attached while it waits (null when that failed: the session attaches it).</summary>
    private sealed record WarmDedicated(ChromiumProcess Process, IBrowserContext Context, PageWatch? Watch);

    /// <summary>How long the launcher waits after a failed refill before it tries again (sessions' launches do not wait).</summary>
    private static readonly TimeSpan RefillRetry = TimeSpan.FromSeconds(5);

    private readonly Lock _dedicatedGate = new();
    private readonly Queue<WarmDedicated> _dedicatedReady = new();
    private readonly LinkedList<TaskCompletionSource<WarmDedicated>> _dedicatedWaiters = new();
    private readonly SemaphoreSlim _dedicatedSignal = new(0);
    private int _dedicatedLaunching;
    private int _refillLaunching;
    private long _lastDedicatedDemand = long.MinValue;
    private long _refillRetryAt;
    private int _refillLaunches;
    private int _warmedUp;
    private long _refillCpuTicks;
    private int _grown;

    /// <summary>Dedicated processes launched ahead and not yet given to a session.</summary>
    public int WarmDedicatedCount
    {
        get
        {
            lock (_dedicatedGate)
            {
                return _dedicatedReady.Count(w => w.Process.Alive);
            }
        }
    }

    /// <summary>How many dedicated browsers the pool keeps now: its full size while in use, its idle size otherwise.</summary>
    public int WarmDedicatedTarget => DedicatedTarget(Environment.TickCount64);

    /// <summary>Dedicated browsers being launched now (for waiting sessions and refills).</summary>
    public int DedicatedLaunchesInFlight => Volatile.Read(ref _dedicatedLaunching);

    /// <summary>Of those, the refills: at most <see cref="BrowserOptions.WarmRefillLaunches"/>.</summary>
    public int RefillLaunchesInFlight => Volatile.Read(ref _refillLaunching);

    /// <summary>Dedicated browsers launched to refill the pool so far (not those launched for a waiting session).</summary>
    public int WarmRefillLaunches => Volatile.Read(ref _refillLaunches);

    /// <summary>Pooled browsers that made their first request before a session took them (<c>WarmUpAsync</c>).</summary>
    public int WarmedUp => Volatile.Read(ref _warmedUp);

    /// <summary>The CPU time those refills took (each browser's process tree as it joined the pool; Linux only).</summary>
    public TimeSpan WarmRefillCpu => TimeSpan.FromTicks(Interlocked.Read(ref _refillCpuTicks));

    /// <summary>The pool's size while in use: <see cref="BrowserOptions.WarmDedicated"/>, grown by the sessions that found it empty.</summary>
    public int WarmDedicatedInUse => Math.Min(_options.WarmDedicatedCeiling, _options.WarmDedicated + Volatile.Read(ref _grown));

    private bool InUse(long now) => AskedWithin(now, _options.WarmDedicatedIdleSeconds * 1000L);

    private int DedicatedTarget(long now) => InUse(now) ? WarmDedicatedInUse : Math.Min(_options.WarmDedicatedIdle, _options.WarmDedicated);

    /// <summary>Whether a session asked for a default dedicated browser less than <paramref name="ms"/> before <paramref name="now"/>.</summary>
    private bool AskedWithin(long now, long ms)
    {
        var lastDemand = Interlocked.Read(ref _lastDedicatedDemand);
        return lastDemand != long.MinValue && now - lastDemand < ms;
    }

    /// <summary>A default dedicated browser for a session: a ready one, else the next one launched.</summary>
    private async Task<(ChromiumProcess Process, IBrowserContext Context, PageWatch? Watch)> TakeDedicatedAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastDedicatedDemand, Environment.TickCount64);
        var waiter = new TaskCompletionSource<WarmDedicated>(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedListNode<TaskCompletionSource<WarmDedicated>> node;
        lock (_dedicatedGate)
        {
            while (_dedicatedReady.TryDequeue(out var ready))
            {
                if (ready.Process.Alive)
                {
                    Signal();
                    return (ready.Process, ready.Context, ready.Watch);
                }
            }

            node = _dedicatedWaiters.AddLast(waiter);

            // It found the pool empty: the pool was too small for this client, so it grows (while in use).
            if (WarmDedicatedInUse < _options.WarmDedicatedCeiling)
            {
                _grown++;
            }
        }

        Signal();
        await using var cancel = cancellationToken.Register(() =>
        {
            lock (_dedicatedGate)
            {
                if (node.List is not null)
                {
                    _dedicatedWaiters.Remove(node);
                }
            }

            waiter.TrySetCanceled(cancellationToken);
        });
        var warm = await waiter.Task;
        return (warm.Process, warm.Context, warm.Watch);
    }

    /// <summary>The launcher's loop, from the host's start to its stop.</summary>
    private async Task RunDedicatedPoolAsync()
    {
        while (!_stopping)
        {
            var (launch, forWaiter, warmUp, wait, surplus) = NextDedicatedStep(Environment.TickCount64);
            foreach (var extra in surplus)
            {
                _ = CloseDedicatedAsync(extra.Process);
            }

            if (launch)
            {
                _ = LaunchForPoolAsync(forWaiter, warmUp);
                continue;
            }

            try
            {
                await _dedicatedSignal.WaitAsync(wait);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// What the launcher does next: start a launch (counted as started; a refill warms its browser up, except while
    /// sessions are taking browsers, when it is wanted sooner), or wait; and the browsers to close (a trim).
    /// </summary>
    private (bool Launch, bool ForWaiter, bool WarmUp, TimeSpan Wait, List<WarmDedicated> Surplus) NextDedicatedStep(long now)
    {
        var surplus = new List<WarmDedicated>();
        lock (_dedicatedGate)
        {
            if (!InUse(now))
            {
                _grown = 0;
            }

            var target = DedicatedTarget(now);
            var ready = _dedicatedReady.Count(w => w.Process.Alive);
            if (ready > target && _dedicatedWaiters.Count == 0)
            {
                // Idle: back to the idle size, the oldest first.
                var keep = _dedicatedReady.Where(w => w.Process.Alive).Skip(ready - target).ToList();
                surplus.AddRange(_dedicatedReady.Except(keep));
                _dedicatedReady.Clear();
                keep.ForEach(_dedicatedReady.Enqueue);
                ready = target;
            }

            if (_dedicatedWaiters.Count > _dedicatedLaunching && _dedicatedLaunching < _options.MaxConcurrentLaunches)
            {
                _dedicatedLaunching++;
                return (true, true, false, TimeSpan.Zero, surplus);
            }

            var unclaimed = Math.Max(0, _dedicatedLaunching - _dedicatedWaiters.Count);
            if (ready + unclaimed < target && _refillLaunching < _options.WarmRefillLaunches && now >= Interlocked.Read(ref _refillRetryAt))
            {
                var low = ready <= target / 4;
                if (low || IsQuiet(now, out var untilQuiet))
                {
                    _dedicatedLaunching++;
                    _refillLaunching++;
                    return (true, false, !AskedWithin(now, _options.WarmRefillQuietMs), TimeSpan.Zero, surplus);
                }

                return (false, false, false, untilQuiet, surplus);
            }

            return (false, false, false, TimeSpan.FromSeconds(1), surplus);
        }
    }

    /// <summary>Launches one default dedicated browser: to the first session waiting, else into the pool.</summary>
    private async Task LaunchForPoolAsync(bool forWaiter, bool warmUp)
    {
        WarmDedicated? warm = null;
        Exception? failure = null;
        try
        {
            var (process, context) = await LaunchDedicatedAsync(
                Equip(DeviceProfiles.For(DeviceKind.Desktop, await ChromiumVersionAsync(CancellationToken.None)), null), CancellationToken.None, warmUp: warmUp);
            warm = new WarmDedicated(process, context, await PageWatch.AttachAsync(context));
            if (!forWaiter)
            {
                Interlocked.Increment(ref _refillLaunches);
                Interlocked.Add(ref _refillCpuTicks, ChromiumProcesses.TreeCpu(_hostId, process.Number).Ticks);
            }
        }
        catch (Exception ex) when (ex is BrowserUnavailableException or ObjectDisposedException or PlaywrightException)
        {
            failure = ex;
            Interlocked.Exchange(ref _refillRetryAt, Environment.TickCount64 + (long)RefillRetry.TotalMilliseconds);
            if (!_stopping)
            {
                LogWarmFailed(ex.Message);
            }
        }

        var given = false;
        lock (_dedicatedGate)
        {
            _dedicatedLaunching--;
            if (!forWaiter)
            {
                _refillLaunching--;
            }

            while (_dedicatedWaiters.First is { } first && !given)
            {
                _dedicatedWaiters.RemoveFirst();
                given = warm is not null
                    ? first.Value.TrySetResult(warm)
                    : first.Value.TrySetException(failure as BrowserUnavailableException ?? new BrowserUnavailableException($"Could not open a dedicated browser: {PlaywrightErrors.FirstLine(failure!.Message)}", failure));
            }

            if (!given && warm is not null)
            {
                _dedicatedReady.Enqueue(warm);
            }
        }

        Signal();
    }

    /// <summary>Fails the sessions still waiting for a launch as the host stops.</summary>
    private void FailDedicatedWaiters()
    {
        lock (_dedicatedGate)
        {
            foreach (var waiter in _dedicatedWaiters)
            {
                waiter.TrySetException(new ObjectDisposedException(nameof(BrowserHost)));
            }

            _dedicatedWaiters.Clear();
        }

        Signal();
    }

    private void Signal()
    {
        try
        {
            _dedicatedSignal.Release();
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
