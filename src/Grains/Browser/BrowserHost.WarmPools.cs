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
            if (low() || IsQuiet(Environment.TickCount64, out var untilQuiet))
            {
                return true;
            }

            await Task.Delay(untilQuiet);
        }

        return false;
    }

    /// <summary>
    /// Whether no work has run in the host's browsers for <see cref="BrowserOptions.WarmRefillQuietMs"/> at
    /// <paramref name="now"/>; when not, how long to wait before asking again (10–100 ms).
    /// </summary>
    private bool IsQuiet(long now, out TimeSpan untilQuiet)
    {
        var quietFor = now - Volatile.Read(ref _lastWork);
        untilQuiet = TimeSpan.FromMilliseconds(Math.Clamp(_options.WarmRefillQuietMs - quietFor, 10, 100));
        return Volatile.Read(ref _working) == 0 && quietFor >= _options.WarmRefillQuietMs;
    }

    private sealed record WarmContext(ChromiumProcess Process, IBrowserContext Context, IPage Page);

    /// <summary>Ready contexts, up to <paramref name="target"/>; one refill runs at a time.</summary>
    private sealed class WarmPool(int target, int lowWater)
    {
        private readonly ConcurrentQueue<WarmContext> _ready = new();
        private int _refilling;

        /// <summary>The ready ones whose process is alive.</summary>
        public int Count => _ready.Count(w => w.Process.Alive);

        /// <summary>The next ready one, alive or not: the taker checks.</summary>
        public bool TryTake([MaybeNullWhen(false)] out WarmContext warm) => _ready.TryDequeue(out warm);

        public async Task RefillAsync(BrowserHost host, Func<Task<WarmContext>> create)
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
