using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Tasks;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// Where a command's result goes; every command in a session's mailbox carries one (<see cref="Mail"/>). A target
/// learns the result of a command that ran, and what to tell its sender when the session ended before it ran.
/// </summary>
internal abstract class ResultTarget
{
    /// <summary>The command ran (or was interrupted while it ran): hand its outcome over.</summary>
    public abstract Task DeliverAsync(SessionCommand command, ScriptOutcome outcome);

    /// <summary>
    /// The session ended before the command ran, or while it ran (<paramref name="wasRunning"/>), or, for a
    /// <see cref="CloseSession"/>, with it: what its sender learns (<see cref="SessionWork.NotRun"/>). The event to record
    /// among the session's final events, or null when the sender learns it otherwise, or needs not.
    /// </summary>
    public abstract TaskEvent? NotRun(SessionCommand command, bool wasRunning = false);
}

/// <summary>A client's command: its result is a task event carrying the request's id and channel.</summary>
internal sealed class EventLogTarget(ITaskGrain record) : ResultTarget
{
    public override Task DeliverAsync(SessionCommand command, ScriptOutcome outcome) =>
        record.AppendAsync(Event(command, outcome));

    public override TaskEvent? NotRun(SessionCommand command, bool wasRunning = false) =>
        Event(command, SessionWork.NotRun(command, submitted: false, wasRunning));

    private static TaskEvent Event(SessionCommand command, ScriptOutcome outcome)
    {
        var result = outcome.Results[^1];
        return TaskEvent.ForResult(command.EventId, command.Channel, result) with { Credits = SessionWork.ResultCredits(command, result) };
    }
}

/// <summary>A submitted command: its outcome waits, whole, until its sender collects it (<see cref="AwaitedResults"/>).</summary>
internal sealed class ReplyTarget : ResultTarget
{
    private readonly TaskCompletionSource<ScriptOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<ScriptOutcome> Outcome => _outcome.Task;

    public override Task DeliverAsync(SessionCommand command, ScriptOutcome outcome)
    {
        _outcome.TrySetResult(outcome);
        return Task.CompletedTask;
    }

    public override TaskEvent? NotRun(SessionCommand command, bool wasRunning = false)
    {
        _outcome.TrySetResult(SessionWork.NotRun(command, submitted: true, wasRunning));
        return null;
    }
}

/// <summary>The navigation to a session's start URL: nobody asked for it, so only a failure is recorded (<c>navigation_failed</c>).</summary>
internal sealed class StartNavigationTarget(ITaskGrain record, string url) : ResultTarget
{
    public override Task DeliverAsync(SessionCommand command, ScriptOutcome outcome) =>
        outcome.Failure is { } failure
            ? record.AppendAsync(TaskEvent.Notice("navigation_failed", SessionNotices.NavigationFailed(url, failure.Error)))
            : Task.CompletedTask;

    public override TaskEvent? NotRun(SessionCommand command, bool wasRunning = false) => null;
}

/// <summary>A one-shot agent task: when it finishes, the session ends with its output (done) or its error (failed).</summary>
internal sealed class OneShotTarget(Func<ActionOutcome, Task> end) : ResultTarget
{
    public override Task DeliverAsync(SessionCommand command, ScriptOutcome outcome) => end(outcome.Results[^1]);

    public override TaskEvent? NotRun(SessionCommand command, bool wasRunning = false) => null;
}

/// <summary>The outcomes of a session's submitted commands, by command id, until their senders collect them.</summary>
internal sealed class AwaitedResults
{
    private readonly Dictionary<string, ReplyTarget> _pending = new(StringComparer.Ordinal);

    /// <summary>A new target for the command with this id.</summary>
    public ReplyTarget Expect(string commandId) => _pending[commandId] = new ReplyTarget();

    /// <summary>
    /// The command's outcome once it is there (handed out once), waiting up to <paramref name="maxWait"/>; null while
    /// it still runs; an <c>Interrupted</c> outcome for an id the session does not know (ended, or collected).
    /// </summary>
    public async Task<ScriptOutcome?> CollectAsync(string commandId, TimeSpan maxWait)
    {
        if (!_pending.TryGetValue(commandId, out var target))
        {
            return new ScriptOutcome([ActionOutcome.Failure("script", ActionStatus.Interrupted, "the session has no such task: it ended or the result was collected")]);
        }

        try
        {
            var outcome = await target.Outcome.WaitAsync(maxWait);
            _pending.Remove(commandId);
            return outcome;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
