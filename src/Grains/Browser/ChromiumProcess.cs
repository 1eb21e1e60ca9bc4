using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>One shared Chromium process and the sessions whose contexts live in it.</summary>
internal sealed class ChromiumProcess(int number, IBrowser browser)
{
    private readonly HashSet<string> _sessions = [];
    private int _contexts;

    public int Number { get; } = number;
    public IBrowser Browser { get; } = browser;
    public bool Alive { get; private set; } = true;
    public int Contexts => Volatile.Read(ref _contexts);

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

    /// <summary>Marks the process dead and returns the sessions it hosted.</summary>
    public IReadOnlyList<string> MarkDead()
    {
        lock (_sessions)
        {
            Alive = false;
            var hosted = _sessions.ToList();
            _sessions.Clear();
            return hosted;
        }
    }
}
