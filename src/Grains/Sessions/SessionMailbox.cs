using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Sessions;

/// <summary>A command in a session's mailbox and where its result goes.</summary>
/// <param name="Checked">Whether the command was checked against the session's page when it came in (it waits for the page otherwise).</param>
internal sealed record Mail(SessionCommand Command, ResultTarget Target, bool Checked = true);

/// <summary>
/// A session's mailbox: its commands run one at a time, in arrival order, on a pump that runs beside the grain's
/// requests (on the grain's scheduler), so the grain can take a close or a cancel while a command runs and interrupt
/// it. Commands that come while the session still opens wait until it is open (<see cref="Start"/>). Each command runs
/// within its own time limit (<see cref="SessionCommand.TimeoutMs"/>). While a command waits for its client (the
/// agent's call of a client's tool), the commands that come meanwhile run nested in it (<see cref="RunNestedUntilAsync"/>),
/// on the same page, so a tool that drives the browser does not wait behind the agent that waits for the tool.
/// Closing the mailbox interrupts what runs and hands back what never ran; what each command does is
/// <see cref="SessionWork"/>'s, what its result becomes is its <see cref="ResultTarget"/>'s.
/// </summary>
/// <param name="handle">Runs one command and delivers its result.</param>
internal sealed class SessionMailbox(Func<Mail, Task> handle)
{
    /// <summary>How deep commands may nest under commands that wait for their client (a tool's run_task within a run_task...).</summary>
    public const int MaxNesting = 3;

    private readonly Queue<Mail> _queue = new();
    private readonly List<Mail> _active = [];
    private readonly List<CancellationTokenSource> _running = [];
    private TaskCompletionSource _arrived = NewSignal();
    private bool _started;
    private Task? _pump;
    private CancellationTokenSource? _commandLimit;

    /// <summary>Whether the session ended: nothing more runs, and work that was running reports itself interrupted.</summary>
    public bool Closed { get; private set; }

    /// <summary>Commands waiting to run.</summary>
    public int Waiting => _queue.Count;

    /// <summary>Whether a command runs or waits.</summary>
    public bool Busy => _queue.Count > 0 || _active.Count > 0;

    /// <summary>How many commands run now, each nested in the one before (0: none, 1: one command, more: nested runs).</summary>
    public int Depth => _active.Count;

    /// <summary>The session is open: the commands that came meanwhile, and every later one, run.</summary>
    public void Start()
    {
        _started = true;
        Pump();
    }

    public void Post(Mail mail)
    {
        _queue.Enqueue(mail);
        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
        Pump();
    }

    /// <summary>Closes the mailbox as the session ends: nothing more runs, and whatever runs is interrupted.</summary>
    public void Close()
    {
        Closed = true;
        foreach (var running in _running.ToList())
        {
            running.Cancel();
        }
    }

    /// <summary>
    /// After <see cref="Close"/>: the commands whose results are still owed, once the pump finished what it still does
    /// (recording the interrupted command's result), waited for up to <paramref name="pumpWait"/>. From the pump itself
    /// (a <see cref="CloseSession"/>, a one-shot task's end) nothing is waited for, and the commands the closing one ran
    /// nested in are owed too (they were running: <c>WasRunning</c>).
    /// </summary>
    public async Task<IReadOnlyList<(Mail Mail, bool WasRunning)>> OwedAsync(TimeSpan pumpWait, Mail? closing, bool fromPump)
    {
        var owed = new List<(Mail, bool)>();
        if (fromPump)
        {
            owed.AddRange(_active.Where(m => !ReferenceEquals(m, closing)).Select(m => (m, true)));
        }
        else if (_pump is { IsCompleted: false } pump)
        {
            await pump.WaitAsync(pumpWait).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        owed.AddRange(_queue.Select(m => (m, false)));
        _queue.Clear();
        return owed;
    }

    /// <summary>
    /// Runs one piece of a command's work (an action, an agent run) under a token that closing the mailbox and the
    /// command's time limit cancel. Work that outlived the session reports <c>Interrupted</c>, work past the limit
    /// <c>TimedOut</c>; the browser's own failures while the session ends are no errors of the command.
    /// </summary>
    public async Task<ActionOutcome> InterruptibleAsync(string name, Func<CancellationToken, Task<ActionOutcome>> work)
    {
        var limit = _commandLimit;
        using var running = limit is null ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        _running.Add(running);
        try
        {
            var outcome = await work(running.Token);
            return Closed
                ? Interrupted(name, "the session ended while the action was running", outcome.DurationMs)
                : limit is { IsCancellationRequested: true } ? TimedOut(name) : outcome;
        }
        catch (Exception ex) when (Closed || SessionPage.IsBrowserFailure(ex))
        {
            return !Closed && limit is { IsCancellationRequested: true }
                ? TimedOut(name)
                : Interrupted(name, "the session ended while the action was running");
        }
        finally
        {
            _running.Remove(running);
        }
    }

    /// <summary>
    /// The running command waits for its client (<paramref name="waitFor"/>: the answer of a client's tool): the commands
    /// that come until then run now, nested in it, in arrival order.
    /// </summary>
    public async Task RunNestedUntilAsync(Task waitFor)
    {
        while (!waitFor.IsCompleted && !Closed)
        {
            if (_queue.TryDequeue(out var mail))
            {
                await RunAsync(mail);
                continue;
            }

            await Task.WhenAny(waitFor, _arrived.Task);
        }
    }

    public static ActionOutcome Interrupted(string name, string why, double durationMs = 0) =>
        ActionOutcome.Failure(name, ActionStatus.Interrupted, why, durationMs);

    private static ActionOutcome TimedOut(string name) =>
        ActionOutcome.Failure(name, ActionStatus.TimedOut, "timeout: the task did not finish within its time limit");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Pump()
    {
        if (_started && (_pump is null || _pump.IsCompleted))
        {
            _pump = PumpAsync();
        }
    }

    private async Task PumpAsync()
    {
        await Task.Yield();
        while (!Closed && _queue.TryDequeue(out var mail))
        {
            await RunAsync(mail);
        }
    }

    /// <summary>Runs one command within its own time limit (a nested one without a limit of its own within the outer one's).</summary>
    private async Task RunAsync(Mail mail)
    {
        var outer = _commandLimit;
        using var limit = mail.Command.TimeoutMs is { } timeoutMs ? new CancellationTokenSource(timeoutMs) : null;
        _commandLimit = limit ?? outer;
        _active.Add(mail);
        try
        {
            await handle(mail);
        }
        finally
        {
            _active.Remove(mail);
            _commandLimit = outer;
        }
    }
}
