using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SessionGrid.Contracts.Common;

namespace SessionGrid.Api.Http;

/// <summary>
/// The Task API reads this node holds open right now (the long-poll), observed as the
/// <c>sessiongrid.api.polls.held</c> gauge: a read counts from the moment it starts to wait until it answers or its
/// client goes away, so a disconnected client leaves nothing held.
/// </summary>
public sealed class HeldPolls : IDisposable
{
    private static readonly Meter Meter = new(TelemetryNames.SessionGrid);
    private static readonly ConcurrentDictionary<HeldPolls, byte> Nodes = new();

    private int _count;

    static HeldPolls() =>
        Meter.CreateObservableUpDownCounter("sessiongrid.api.polls.held", () => Nodes.Keys.Sum(polls => polls.Count),
            "{request}", "Task API reads held open by the long-poll on this node");

    public HeldPolls() => Nodes.TryAdd(this, 0);

    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts one held read until the returned handle is disposed.</summary>
    public IDisposable Hold()
    {
        Interlocked.Increment(ref _count);
        return new Held(this);
    }

    public void Dispose() => Nodes.TryRemove(this, out _);

    private sealed class Held(HeldPolls polls) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref polls._count);
            }
        }
    }
}
