using Microsoft.Extensions.Options;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Placement;

/// <summary>How a session's request for a browser context on this silo went.</summary>
public enum SlotEntry
{
    /// <summary>A context is the session's.</summary>
    Granted,
    /// <summary>Every context is taken: the session waits in the queue (<see cref="SessionSlots.WaitAsync"/>).</summary>
    Queued,
    /// <summary>The queue is full too: the session is refused.</summary>
    Refused,
}

/// <summary>
/// This silo's browser capacity: at most <see cref="BrowserOptions.MaxContexts"/> sessions hold a context, at most
/// <see cref="BrowserOptions.MaxQueuedSessions"/> more wait (in arrival order) for one to be released, each for up to
/// <see cref="BrowserOptions.QueueTimeoutSeconds"/>. Placement reads <see cref="Free"/> to send sessions where room is.
/// </summary>
public sealed class SessionSlots(IOptions<BrowserOptions> options)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _holders = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Session, TaskCompletionSource<bool> Turn)> _queue = new();

    private bool _draining;

    public int MaxContexts => Math.Max(1, options.Value.MaxContexts);

    /// <summary>Contexts not held (negative never: queued sessions are not counted here); 0 while the node drains.</summary>
    public int Free
    {
        get
        {
            lock (_gate)
            {
                return _draining ? 0 : MaxContexts - _holders.Count;
            }
        }
    }

    /// <summary>Whether the node drains: no context is granted any more (<see cref="Drain"/>).</summary>
    public bool Draining
    {
        get
        {
            lock (_gate)
            {
                return _draining;
            }
        }
    }

    /// <summary>
    /// The node drains: from now on no session gets a context here (a new one queues, and fails <c>no_capacity</c> at its
    /// queue timeout or when the drain ends); sessions holding one keep it.
    /// </summary>
    public void Drain()
    {
        lock (_gate)
        {
            _draining = true;
        }
    }

    /// <summary>The drain ends: every session still queued here is told it gets no context (it fails <c>no_capacity</c>).</summary>
    public void EndQueue()
    {
        lock (_gate)
        {
            foreach (var (_, turn) in _queue)
            {
                turn.TrySetResult(false);
            }

            _queue.Clear();
        }
    }

    /// <summary>Sessions waiting for a context.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The sessions holding a context or waiting for one.</summary>
    public IReadOnlyList<string> Sessions
    {
        get
        {
            lock (_gate)
            {
                return [.. _holders, .. _queue.Select(e => e.Session)];
            }
        }
    }

    /// <summary>The sessions holding a context.</summary>
    public IReadOnlyList<string> Holders
    {
        get
        {
            lock (_gate)
            {
                return [.. _holders];
            }
        }
    }

    /// <summary>Takes a context for <paramref name="sessionId"/> when one is free, else a place in the queue when there is one.</summary>
    public SlotEntry Enter(string sessionId)
    {
        lock (_gate)
        {
            if (_holders.Contains(sessionId))
            {
                return SlotEntry.Granted;
            }

            if (!_draining && _holders.Count < MaxContexts && _queue.Count == 0)
            {
                _holders.Add(sessionId);
                return SlotEntry.Granted;
            }

            if (_queue.Count >= options.Value.MaxQueuedSessions)
            {
                return SlotEntry.Refused;
            }

            _queue.AddLast((sessionId, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)));
            return SlotEntry.Queued;
        }
    }

    /// <summary>Waits until the queued session's turn; false when the queue timeout passed first (it leaves the queue).</summary>
    public async Task<bool> WaitAsync(string sessionId)
    {
        Task<bool> turn;
        lock (_gate)
        {
            if (Queued(sessionId) is not { } entry)
            {
                return _holders.Contains(sessionId);
            }

            turn = entry.Value.Turn.Task;
        }

        try
        {
            return await turn.WaitAsync(TimeSpan.FromSeconds(options.Value.QueueTimeoutSeconds));
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                if (Queued(sessionId) is { } node)
                {
                    _queue.Remove(node);
                    return false;
                }

                // Granted in the same moment the wait gave up: keep it.
                return _holders.Contains(sessionId);
            }
        }
    }

    /// <summary>Gives the session's context (or its place in the queue) up; the next waiting session gets it.</summary>
    public void Leave(string sessionId)
    {
        lock (_gate)
        {
            if (!_holders.Remove(sessionId))
            {
                if (Queued(sessionId) is { } node)
                {
                    _queue.Remove(node);
                    node.Value.Turn.TrySetResult(false);
                }

                return;
            }

            while (!_draining && _holders.Count < MaxContexts && _queue.First is { } next)
            {
                _queue.RemoveFirst();
                _holders.Add(next.Value.Session);
                next.Value.Turn.TrySetResult(true);
            }
        }
    }

    /// <summary>The queue entry of <paramref name="sessionId"/>; null when it does not wait. Call under the gate.</summary>
    private LinkedListNode<(string Session, TaskCompletionSource<bool> Turn)>? Queued(string sessionId)
    {
        var node = _queue.First;
        while (node is not null && node.Value.Session != sessionId)
        {
            node = node.Next;
        }

        return node;
    }
}
