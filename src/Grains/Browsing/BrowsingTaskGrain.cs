using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Placement;

namespace SessionGrid.Grains.Browsing;

[GenerateSerializer, Alias("sg.BrowsingTaskState")]
public sealed class BrowsingTaskState
{
    [Id(0)] public BrowsingStatus? Status { get; set; }
}

/// <summary>
/// One browsing task, and its only record. Submitting checks that a live node satisfies its filter, records it
/// <see cref="BrowsingPhase.Waiting"/>, and starts its driver: one attempt per chosen node (fanout races distinct
/// nodes), each in a session of its own (or the session of its <c>session_key</c>). The first attempt that succeeds
/// completes the task and the others are cancelled; the timeout cancels them all. A task found unfinished by a new
/// activation lost its driver with its node, and is failed: nothing stays running.
/// <para>
/// An attempt's own session (id <c>{task id}-{attempt}</c>) is the engine's, not a dialect's task: it is opened in the
/// <see cref="Dialects.BrowsingApi"/> dialect, which lists no sessions and whose sessions no other dialect reads, so
/// its record is never a Task API or Browser Session API task. The record still says what became of the session:
/// an attempt that ran to its end (it succeeded or failed by itself) closes its session, which ends <c>done</c>;
/// an attempt stopped from outside (another attempt won, or the task's timeout hit) cancels it, which ends
/// <c>cancelled</c>. A keyed session outlives its tasks and is left open.
/// </para>
/// </summary>
public sealed partial class BrowsingTaskGrain(
    [PersistentState("browsing", StorageNames.Default)] IPersistentState<BrowsingTaskState> state,
    NodeDirectory nodes,
    IArtifactStore artifacts,
    Actions.UrlPolicy urlPolicy,
    IOptions<BrowsingOptions> options,
    TimeProvider clock,
    ILogger<BrowsingTaskGrain> log) : Grain, IBrowsingTaskGrain
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _driver;

    private string TaskId => this.GetPrimaryKeyString();

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Status is { Finished: false } orphan)
        {
            // Its driver ran in an earlier activation, which is gone (its node stopped or failed).
            await FinishAsync(orphan with { Phase = BrowsingPhase.Failed, Success = false, FinishedAt = Now,
                Error = "node_lost: the node that ran this task stopped before it finished" });
        }
        else if (state.State.Status is { Finished: true })
        {
            _finished.TrySetResult();
        }
    }

    public async Task<BrowsingReply> SubmitAsync(BrowsingSubmission submission)
    {
        if (state.State.Status is not null)
        {
            return new BrowsingReply(false, $"task '{TaskId}' already exists");
        }

        if (submission.Plan.Proxy is { } proxy && urlPolicy.ProxyRefusal(proxy) is { } refused)
        {
            return new BrowsingReply(false, refused);
        }

        var candidates = nodes.Matching(submission.Filter);
        if (candidates.Count == 0)
        {
            return new BrowsingReply(false, $"no live node matches the filter ({submission.Filter}); live nodes: "
                + string.Join(", ", nodes.Live().Select(n => n.Country is null ? n.Name : $"{n.Name} ({n.Country})")));
        }

        state.State.Status = new BrowsingStatus(TaskId, submission.Owner, BrowsingPhase.Waiting, Now);
        await state.WriteStateAsync();
        _driver = DriveAsync(submission, candidates);
        return new BrowsingReply(true, null);
    }

    public Task<BrowsingStatus?> StatusAsync() => Task.FromResult(state.State.Status);

    public async Task<BrowsingStatus?> WaitAsync(TimeSpan maxWait)
    {
        if (state.State.Status is { Finished: false })
        {
            await _finished.Task.WaitAsync(maxWait).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        return state.State.Status;
    }

    public async Task<SessionFile?> ScreenshotAsync(string name)
    {
        if (state.State.Status is not { ScreenshotScope: { } scope } status || !status.Screenshots.Contains(name))
        {
            return null;
        }

        var stored = await artifacts.GetAsync(scope, name, CancellationToken.None);
        return stored is null ? null : new SessionFile(name, stored.ContentType, stored.Content);
    }

    private sealed record AttemptResult(
        bool Success, string? PayloadJson, string? Error, IReadOnlyList<string> Screenshots, string Scope, string Node, long StartedAt, string? SessionId);

    private async Task DriveAsync(BrowsingSubmission submission, IReadOnlyList<NodeInfo> candidates)
    {
        await Task.Yield();
        var deadline = submission.TimeoutMs is { } timeoutMs ? state.State.Status!.CreatedAt + timeoutMs : (long?)null;
        using var stop = new CancellationTokenSource();
        if (deadline is { } at)
        {
            stop.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(0, at - Now)));
        }

        var picked = nodes.Pick(candidates, submission.SessionKey is null ? submission.Fanout : 1);
        await UpdateAsync(state.State.Status! with { Phase = BrowsingPhase.Placed, Node = picked.Count == 1 ? picked[0].Name : null });
        var attempts = picked.Select((node, i) => AttemptAsync(submission, node, i, deadline, stop.Token)).ToList();
        AttemptResult? winner = null;
        AttemptResult? firstFailure = null;
        var pending = attempts.ToList();
        while (pending.Count > 0 && winner is null)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            var result = await done;
            if (result.Success)
            {
                winner = result;
            }
            else
            {
                firstFailure ??= result;
            }
        }

        var timedOut = stop.IsCancellationRequested && winner is null;
        await stop.CancelAsync();
        await Task.WhenAll(attempts);
        var outcome = winner ?? firstFailure!;
        var finishedAt = Now;
        var status = state.State.Status! with
        {
            Phase = winner is null ? BrowsingPhase.Failed : BrowsingPhase.Done,
            Success = winner is not null,
            PayloadJson = winner?.PayloadJson,
            Error = winner is not null ? null : timedOut ? $"timeout: the task did not finish within {submission.TimeoutMs} ms" : outcome.Error,
            FinishedAt = finishedAt,
            ExecutionTimeMs = finishedAt - outcome.StartedAt,
            Screenshots = outcome.Screenshots,
            ScreenshotScope = outcome.Scope,
            Node = outcome.Node,
            SessionId = outcome.SessionId,
        };
        await FinishAsync(status);
    }

    /// <summary>
    /// Runs the task's plan once, on one node; never throws. Its own session ends with it: closed (<c>done</c>) when the
    /// attempt ran to its end, cancelled when <paramref name="stop"/> stopped it (another attempt won, or the timeout).
    /// </summary>
    private async Task<AttemptResult> AttemptAsync(BrowsingSubmission submission, NodeInfo node, int index, long? deadline, CancellationToken stop)
    {
        var scope = $"browsing:{TaskId}:{index}";
        var startedAt = Now;
        var nodeName = node.Name;
        string? sessionId = null;
        AttemptResult Failed(string error, IReadOnlyList<string>? shots = null) => new(false, null, error, shots ?? [], scope, nodeName, startedAt, sessionId);

        // Every browsing task is recorded: its status links the video of the session its outcome came from.
        var spec = new SessionSpec(submission.Owner, DeviceKind.Desktop, null)
        {
            Dialect = Dialects.BrowsingApi,
            Record = true,
            Extras = new BrowserExtras { Proxy = submission.Plan.Proxy },
        };
        ISessionGrain session;
        var ownSession = submission.SessionKey is null;
        try
        {
            if (ownSession)
            {
                sessionId = $"{TaskId}-{index}";
                session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
                if (!await OnNode.OpenSessionAsync(session, spec, node.Address))
                {
                    return Failed($"browser_unavailable: no browser could be opened on node '{nodeName}'");
                }
            }
            else
            {
                var keyed = await GrainFactory.GetGrain<IKeyedSessionGrain>(KeyedSessionGrain.KeyOf(submission.Owner, submission.SessionKey!))
                    .AcquireAsync(spec, node.Name);
                nodeName = keyed.Node;
                if (!keyed.Opened)
                {
                    return Failed($"browser_unavailable: no browser could be opened on node '{nodeName}'");
                }

                sessionId = keyed.SessionId;
                session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAttemptFailed(ex, TaskId, nodeName);
            return Failed($"node_unavailable: the task could not be started on node '{nodeName}'");
        }

        var stopped = false;
        try
        {
            var commandId = $"{TaskId}-{index}";
            var capture = submission.Screenshots is { } mode
                ? new ScreenshotCapture(mode, submission.FullPage, scope, clock.GetUtcNow().AddHours(options.Value.ScreenshotRetentionHours).ToUnixTimeMilliseconds())
                : null;
            var remaining = deadline is { } at ? (int?)Math.Max(1, at - Now) : null;
            SessionCommand command = submission.Plan.Agent is { } agent
                ? new RunAgent(commandId, "browsing", agent) { Capture = capture, TimeoutMs = remaining }
                : new RunScript(commandId, "browsing", submission.Plan.Actions) { Capture = capture, TimeoutMs = remaining };
            var reply = await session.SubmitAsync(command);
            if (!reply.Accepted)
            {
                return Failed(reply.ActionIndex is { } i ? $"action {i}: {reply.Reason}" : reply.Reason ?? "the session refused the task");
            }

            if (state.State.Status is { Phase: < BrowsingPhase.Running } current)
            {
                await UpdateAsync(current with { Phase = BrowsingPhase.Running, Node = current.Node ?? nodeName });
            }

            startedAt = Now;
            var outcome = await CollectAsync(session, commandId, stop);
            if (outcome is null)
            {
                stopped = true;
                return Failed("cancelled: another node finished the task first");
            }

            return outcome.Failure is { } failure
                ? Failed(failure.Error ?? "the task failed", outcome.Screenshots)
                : new AttemptResult(true, Payload(submission.Plan, outcome), null, outcome.Screenshots, scope, nodeName, startedAt, sessionId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAttemptFailed(ex, TaskId, nodeName);
            return Failed($"node_lost: the node '{nodeName}' stopped answering");
        }
        finally
        {
            if (ownSession)
            {
                // Best effort: a session whose node is gone is ended by its task record's host check.
                await (stopped ? session.CancelAsync() : session.CloseAsync()).ContinueWith(_ => { }, TaskScheduler.Current);
            }
        }
    }

    /// <summary>Waits for the command's outcome in short grain calls (a long-poll); null when <paramref name="stop"/> fired first.</summary>
    private async Task<ScriptOutcome?> CollectAsync(ISessionGrain session, string commandId, CancellationToken stop)
    {
        var (outcome, _) = await LongPoll.UntilAsync(
            wait =>
            {
                DelayDeactivation(TimeSpan.FromMinutes(2));
                return session.AwaitResultAsync(commandId, wait);
            },
            outcome => outcome is not null, Timeout.InfiniteTimeSpan, clock, stop);
        return outcome;
    }

    /// <summary>The task's payload: the agent's output, one action's value, or every action's result.</summary>
    private static string? Payload(BrowsingPlan plan, ScriptOutcome outcome)
    {
        if (plan.Agent is not null || plan.PayloadFrom >= 0)
        {
            var index = plan.Agent is not null ? 0 : plan.PayloadFrom;
            return index < outcome.Results.Count ? outcome.Results[index].Value ?? "null" : "null";
        }

        return new JsonArray([.. outcome.Results.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = r.Action,
            ["ok"] = r.Ok,
            ["value"] = r.Value is null ? null : JsonNode.Parse(r.Value),
        })]).ToJsonString();
    }

    private async Task UpdateAsync(BrowsingStatus status)
    {
        if (state.State.Status is { Finished: true })
        {
            return;
        }

        state.State.Status = status;
        await state.WriteStateAsync();
    }

    private async Task FinishAsync(BrowsingStatus status)
    {
        state.State.Status = status;
        await state.WriteStateAsync();
        _finished.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Browsing task {TaskId}: an attempt on node {Node} failed")]
    private partial void LogAttemptFailed(Exception ex, string taskId, string node);
}
