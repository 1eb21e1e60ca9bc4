using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// One Chromium process and the sessions whose contexts live in it: a shared one (many sessions), or a dedicated one
/// (one session, with its profile folder and its DevTools endpoint on loopback).
/// </summary>
internal sealed class ChromiumProcess(int number, IBrowser browser)
{
    private readonly HashSet<string> _sessions = [];
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _contexts;

    public int Number { get; } = number;
    public IBrowser Browser { get; } = browser;
    public bool Alive { get; private set; } = true;
    public int Contexts => Volatile.Read(ref _contexts);

    /// <summary>A dedicated process's profile folder; null for a shared process.</summary>
    public string? ProfileFolder { get; init; }

    /// <summary>A dedicated process's browser-level DevTools WebSocket on 127.0.0.1, once known; null for a shared process.</summary>
    public Uri? DevTools { get; set; }

    public bool Dedicated => ProfileFolder is not null;

    /// <summary>Completes once the process is gone (its browser disconnected).</summary>
    public Task Gone => _gone.Task;

    public void Reserve() => Interlocked.Increment(ref _contexts);

    public void Release() => Interlocked.Decrement(ref _contexts);

    public void Attach(string sessionId)
    {
        lock (_sessions)
        {
            _sessions.Add(sessionId);
        }
    }

    public void Detach(string sessionId)
    {
        lock (_sessions)
        {
            _sessions.Remove(sessionId);
        }
    }

    public IReadOnlyList<string> Sessions()
    {
        lock (_sessions)
        {
            return [.. _sessions];
        }
    }

    public bool Hosts(string sessionId)
    {
        lock (_sessions)
        {
            return _sessions.Contains(sessionId);
        }
    }

    /// <summary>Marks the process dead and returns the sessions it hosted.</summary>
    public IReadOnlyList<string> MarkDead()
    {
        lock (_sessions)
        {
            Alive = false;
            var hosted = _sessions.ToList();
            _sessions.Clear();
            _gone.TrySetResult();
            return hosted;
        }
    }
}
