using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Sessions;

/// <summary>A command in a session's mailbox and where its result goes.</summary>
internal sealed record Mail(SessionCommand Command, ResultTarget Target);

/// <summary>
/// A session's mailbox: its commands run one at a time, in arrival order, on a pump that runs beside the grain's
/// requests (on the grain's scheduler), so the grain can take a close or a cancel while a command runs and interrupt
/// it. Each command runs within its own time limit (<see cref="SessionCommand.TimeoutMs"/>). Closing the mailbox
/// interrupts the running command and hands back the ones that never ran; what each command does is
/// <see cref="SessionWork"/>'s, what its result becomes is its <see cref="ResultTarget"/>'s.
/// </summary>
/// <param name="handle">Runs one command and delivers its result; the pump stops after it when the mailbox was closed.</param>
internal sealed class SessionMailbox(Func<Mail, Task> handle)
{
    private readonly Queue<Mail> _queue = new();
    private Task? _pump;
    private CancellationTokenSource? _running;
    private CancellationTokenSource? _commandLimit;

    /// <summary>Whether the session ended: nothing more runs, and work that was running reports itself interrupted.</summary>
    public bool Closed { get; private set; }

    /// <summary>Commands waiting to run.</summary>
    public int Waiting => _queue.Count;

    /// <summary>Whether a command runs or waits.</summary>
    public bool Busy => _queue.Count > 0 || _pump is { IsCompleted: false };

    public void Post(Mail mail)
    {
        _queue.Enqueue(mail);
        if (_pump is null || _pump.IsCompleted)
        {
            _pump = PumpAsync();
        }
    }

    /// <summary>Closes the mailbox as the session ends: nothing more runs, and the running command is interrupted.</summary>
    public void Close()
    {
        Closed = true;
        _running?.Cancel();
    }

    /// <summary>
    /// After <see cref="Close"/>: the commands that never ran, once the pump finished what it still does (recording the
    /// interrupted command's result), waited for up to <paramref name="pumpWait"/>; not waited for when the close comes
    /// from the pump itself (a <see cref="CloseSession"/>, a one-shot task's end).
    /// </summary>
    public async Task<IReadOnlyList<Mail>> NotRunAsync(TimeSpan pumpWait, bool fromPump)
    {
        if (!fromPump && _pump is { IsCompleted: false } pump)
        {
            await pump.WaitAsync(pumpWait).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        var notRun = _queue.ToList();
        _queue.Clear();
        return notRun;
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
        _running = running;
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
            _running = null;
        }
    }

    public static ActionOutcome Interrupted(string name, string why, double durationMs = 0) =>
        ActionOutcome.Failure(name, ActionStatus.Interrupted, why, durationMs);

    private static ActionOutcome TimedOut(string name) =>
        ActionOutcome.Failure(name, ActionStatus.TimedOut, "timeout: the task did not finish within its time limit");

    private async Task PumpAsync()
    {
        await Task.Yield();
        while (!Closed && _queue.TryDequeue(out var mail))
        {
            using var limit = mail.Command.TimeoutMs is { } timeoutMs ? new CancellationTokenSource(timeoutMs) : null;
            _commandLimit = limit;
            try
            {
                await handle(mail);
            }
            finally
            {
                _commandLimit = null;
            }
        }
    }
}
