using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The warm pool of desktop contexts ready in the shared processes (<see cref="BrowserOptions.WarmContexts"/>; the
/// dedicated browsers' is <c>BrowserHost.DedicatedPool.cs</c>). It refills one at a time, in the quiet between the
/// host's work (<see cref="Working"/>: actions running, sessions opening), because a new context takes the time a
/// running action would wait for; at or below its low-water mark (a quarter) it refills at once.
/// </summary>
public sealed partial class BrowserHost
{
    private int _working;
    private long _lastWork = Environment.TickCount64;

    /// <summary>Ready contexts in the warm pool now.</summary>
    public int WarmCount => _warm.Count;

    /// <summary>Marks work in this host's browsers until disposed; the warm pools refill around it.</summary>
    public IDisposable Working()
    {
        Interlocked.Increment(ref _working);
        Volatile.Write(ref _lastWork, Environment.TickCount64);
        return new WorkScope(this);
    }

    private Task RefillAsync() => _warm.RefillAsync(this, async () =>
    {
        var process = await GetProcessAsync(CancellationToken.None);
        var (context, page) = await NewContextAsync(process, DeviceKind.Desktop, null);
        return new WarmContext(process, context, page);
    });

    /// <summary>
    /// Waits for a pool's turn to add one: until no work has run in the host's browsers for
    /// <see cref="BrowserOptions.WarmRefillQuietMs"/>, or until the pool runs <paramref name="low"/>; false when the host stops first.
    /// </summary>
    private async Task<bool> RefillTurnAsync(Func<bool> low)
    {
        while (!_stopping)
        {
            var quietFor = Environment.TickCount64 - Volatile.Read(ref _lastWork);
            if (low() || (Volatile.Read(ref _working) == 0 && quietFor >= _options.WarmRefillQuietMs))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(_options.WarmRefillQuietMs - quietFor, 10, 100)));
        }

        return false;
    }

    private interface IWarm
    {
        ChromiumProcess Process { get; }
    }

    private sealed record WarmContext(ChromiumProcess Process, IBrowserContext Context, IPage Page) : IWarm;

    /// <param name="Watch">Its page's download watch, attached while it waited (null when that failed: the session attaches it).</param>
    private sealed record WarmDedicated(ChromiumProcess Process, IBrowserContext Context, PageWatch? Watch = null) : IWarm;

    /// <summary>Ready things of one kind, up to <paramref name="target"/>; one refill runs at a time.</summary>
    private sealed class WarmPool<T>(int target, int lowWater) where T : IWarm
    {
        private readonly ConcurrentQueue<T> _ready = new();
        private int _refilling;

        /// <summary>The ready ones whose process is alive.</summary>
        public int Count => _ready.Count(w => w.Process.Alive);

        /// <summary>The next ready one, alive or not: the taker checks.</summary>
        public bool TryTake([MaybeNullWhen(false)] out T warm) => _ready.TryDequeue(out warm);

        public async Task RefillAsync(BrowserHost host, Func<Task<T>> create)
        {
            if (Interlocked.Exchange(ref _refilling, 1) == 1)
            {
                return;
            }

            try
            {
                while (!host._stopping && Count < target)
                {
                    if (!await host.RefillTurnAsync(() => Count <= lowWater))
                    {
                        break;
                    }

                    _ready.Enqueue(await create());
                }
            }
            catch (Exception ex) when (ex is BrowserUnavailableException or ObjectDisposedException or PlaywrightException)
            {
                if (!host._stopping)
                {
                    host.LogWarmFailed(ex.Message);
                }
            }
            finally
            {
                Volatile.Write(ref _refilling, 0);
            }
        }
    }

    private sealed class WorkScope(BrowserHost host) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Volatile.Write(ref host._lastWork, Environment.TickCount64);
                Interlocked.Decrement(ref host._working);
            }
        }
    }
}
