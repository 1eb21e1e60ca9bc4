using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SessionGrid.Contracts.Agent;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Agent;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Tasks;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// One browser session: its context lives in this silo's memory, so the grain never moves. Commands run one at a
/// time in arrival order on a pump that runs beside the grain's requests, so a cancel (or a close, a lost browser,
/// the idle timer) can interrupt the action that is running. Every result goes to the session's task record; the
/// record's last events are the results of whatever was pending, then <c>session_closed</c>, then the final status.
/// </summary>
[Immovable, BrowserCapacityPlacement]
public sealed partial class SessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<SessionRestoreState> restore,
    BrowserHost browsers,
    ActionRunner runner,
    AgentRunner agent,
    IOptions<AgentOptions> agentOptions,
    IArtifactStore artifacts,
    ILocalSiloDetails silo,
    IOptions<SessionOptions> options,
    IOptions<SessionFileOptions> fileOptions,
    TimeProvider clock,
    ILogger<SessionGrain> log) : Grain, ISessionGrain
{
    /// <summary>The mailbox id of the navigation to a session's start URL; it has no client request behind it.</summary>
    private const string StartNavigation = "\0start";

    /// <summary>The mailbox id of a one-shot agent task: when it ends, the session ends with its output.</summary>
    private const string OneShotAgent = "\0agent";

    private readonly Queue<SessionCommand> _mailbox = new();
    private readonly Dictionary<string, TaskCompletionSource<ScriptOutcome>> _scripts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<ToolAnswer>> _toolCalls = new(StringComparer.Ordinal);
    private string _owner = "";
    private UrlGlob? _allowedUrls;
    private IReadOnlyList<ToolSignature> _customTools = [];
    private Stage _stage = Stage.New;
    private BrowserLease? _lease;
    private Task? _pump;
    private CancellationTokenSource? _running;
    private CancellationTokenSource? _commandLimit;
    private long _lastActivity;
    private IGrainTimer? _idleTimer;

    private enum Stage
    {
        New,
        Opening,
        Open,
        Ended,
    }

    private string SessionId => this.GetPrimaryKeyString();

    private ITaskGrain TaskRecord => GrainFactory.GetGrain<ITaskGrain>(SessionId);

    private ActionScope Scope => new(_owner, SessionId, _allowedUrls) { OfferLiveView = OfferLiveViewAsync };

    private TimeSpan ToolCallTimeout => TimeSpan.FromSeconds(agentOptions.Value.ToolCallTimeoutSeconds);

    public async Task<SessionReply> OpenAsync(SessionSpec spec)
    {
        if (_stage != Stage.New)
        {
            throw new InvalidOperationException($"Session {SessionId} was already opened.");
        }

        var (refused, storageState, slot) = await ReserveAsync(spec);
        if (refused is not null)
        {
            return refused;
        }

        var kind = spec.Agent is null ? TaskKind.Session : TaskKind.Agent;
        await TaskRecord.CreateAsync(new TaskSpec(spec.Owner, kind, spec.Device, spec.StartUrl, silo.SiloAddress)
        {
            Dialect = spec.Dialect,
            LiveToken = NewLiveToken(),
            CdpToken = NewCdpToken(spec.Isolation),
            Restorable = IsRestorable(spec),
        });
        if (!await StartAsync(spec, storageState, slot))
        {
            return SessionReply.Ok;
        }

        if (spec.Agent is { } oneShot)
        {
            Enqueue(new RunAgent(OneShotAgent, "", oneShot with { StartUrl = spec.StartUrl }));
        }
        else if (spec.StartUrl is { } url)
        {
            Enqueue(new RunAction(StartNavigation, "", new NavigateAction(url)));
        }

        return SessionReply.Ok;
    }

    /// <summary>
    /// What a session needs before its task record: its profile (checked out) and a place in this silo's capacity.
    /// A refusal leaves nothing behind: the grain goes back to new and deactivates.
    /// </summary>
    private async Task<(SessionReply? Refused, string? StorageState, SlotEntry Slot)> ReserveAsync(SessionSpec spec)
    {
        _stage = Stage.Opening;
        _owner = spec.Owner;
        string? storageState = null;
        if (spec.Profile is { } profile)
        {
            (var refused, storageState) = await CheckOutProfileAsync(profile);
            if (refused is not null)
            {
                _stage = Stage.New;
                DeactivateOnIdle();
                return (refused, null, SlotEntry.Refused);
            }
        }

        var slot = Slots.Enter(SessionId);
        if (slot == SlotEntry.Refused)
        {
            await SaveProfileAsync(null, final: true);
            _stage = Stage.New;
            DeactivateOnIdle();
            return (QueueFull(), null, slot);
        }

        return (null, storageState, slot);
    }

    /// <summary>
    /// Waits for capacity when the session is queued, opens its browser context (from the profile's state), and starts
    /// its timers; false when the session ended instead (no capacity in time, no browser), its task record finished.
    /// </summary>
    private async Task<bool> StartAsync(SessionSpec spec, string? storageState, SlotEntry slot)
    {
        if (slot == SlotEntry.Queued && !await Slots.WaitAsync(SessionId))
        {
            await NoCapacityAsync();
            return false;
        }

        try
        {
            _lease = await AcquireBrowserAsync(spec, storageState);
        }
        catch (Exception ex) when (ex is BrowserUnavailableException or ObjectDisposedException)
        {
            _stage = Stage.Ended;
            Slots.Leave(SessionId);
            await SaveProfileAsync(null, final: true);
            await ForgetRestoreAsync();
            var reason = $"{SessionEndReasons.BrowserUnavailable}: {ex.Message}";
            await TaskRecord.FinishAsync(TaskPhase.Failed, null, reason,
                [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.BrowserUnavailable, ex.Message))]);
            DeactivateOnIdle();
            return false;
        }

        _stage = Stage.Open;
        await TaskRecord.MarkRunningAsync();
        await RememberForRestoreAsync(spec);
        Touch();
        var idle = TimeSpan.FromSeconds(options.Value.IdleTimeoutSeconds);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 100, 5_000));
        _idleTimer = this.RegisterGrainTimer(CloseIfIdleAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        _customTools = spec.CustomTools;
        StartProfileSaves();
        await CopyUploadsAsync(spec.Files);
        if (spec.AllowedUrls.Count > 0)
        {
            _allowedUrls = new UrlGlob(spec.AllowedUrls);
            await AllowOnlyAsync(_lease, _allowedUrls);
        }

        return true;
    }

    /// <summary>
    /// Copies the owner's uploaded files the task named into the session's own files, under their original names,
    /// so uploads (the agent's and <c>uploadFile</c>) find them; a file that expired since the request was checked
    /// is reported as a <c>file_missing</c> event.
    /// </summary>
    private async Task CopyUploadsAsync(IReadOnlyList<string> fileIds)
    {
        foreach (var id in fileIds)
        {
            var scope = TenantFiles.Scope(_owner, id);
            var stored = (await artifacts.ListAsync(scope, CancellationToken.None)).FirstOrDefault();
            if (stored is not null && await artifacts.GetAsync(scope, stored.Name, CancellationToken.None) is { } file)
            {
                await artifacts.PutAsync(SessionId, stored.Name, file.ContentType, file.Content, stored.ExpiresAt, CancellationToken.None);
                continue;
            }

            await TaskRecord.AppendAsync(TaskEvent.Notice("file_missing", new JsonObject { ["file_id"] = id }.ToJsonString()));
        }
    }

    public async Task<SessionReply> EnqueueAsync(SessionCommand command)
    {
        await RestoreIfLostAsync();
        if (Refusal() is { } refused)
        {
            return refused;
        }

        if (_mailbox.Count >= options.Value.MaxQueuedCommands)
        {
            return SessionReply.Rejected(SessionRefusal.LimitReached,
                $"the session already has {options.Value.MaxQueuedCommands} commands waiting; retry when some have finished");
        }

        IReadOnlyList<BrowserAction> actions = command switch
        {
            RunAction run => [run.Action],
            RunScript script => script.Actions,
            _ => [],
        };
        var page = await _lease!.GetPageAsync();
        for (var i = 0; i < actions.Count; i++)
        {
            if (await runner.CheckAsync(page, actions[i], Scope, CancellationToken.None) is { } problem)
            {
                return SessionReply.Rejected(SessionRefusal.Invalid, problem, i);
            }
        }

        // Checking awaited: the session may have ended meanwhile.
        if (Refusal() is { } ended)
        {
            return ended;
        }

        if (command is RunScript or RunAgent { Awaited: true })
        {
            _scripts[command.EventId] = new TaskCompletionSource<ScriptOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Enqueue(command);
        return SessionReply.Ok;
    }

    public async Task<ScriptOutcome?> AwaitScriptAsync(string scriptId, TimeSpan maxWait)
    {
        if (!_scripts.TryGetValue(scriptId, out var script))
        {
            return new ScriptOutcome([ActionOutcome.Failure("script", ActionStatus.Interrupted, "the session has no such task: it ended or the result was collected")]);
        }

        try
        {
            var outcome = await script.Task.WaitAsync(maxWait);
            _scripts.Remove(scriptId);
            return outcome;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async Task<FileReply> AddFileAsync(SessionFile file)
    {
        await RestoreIfLostAsync();
        if (Refusal() is { } refused)
        {
            return new FileReply(refused, null);
        }

        var limits = fileOptions.Value;
        if (UploadChecks.Refusal(file, limits) is { } invalid)
        {
            return new FileReply(invalid, null);
        }

        var stored = await artifacts.ListAsync(SessionId, CancellationToken.None);
        if (stored.Count >= limits.MaxFilesPerSession && !stored.Any(f => f.Name == file.Name))
        {
            return new FileReply(SessionReply.Rejected(SessionRefusal.LimitReached,
                $"the session already holds {limits.MaxFilesPerSession} files, the most it may hold"), null);
        }

        Touch();
        var expiresAt = clock.GetUtcNow().AddHours(limits.RetentionHours).ToUnixTimeMilliseconds();
        var info = await artifacts.PutAsync(SessionId, file.Name, file.ContentType, file.Content, expiresAt, CancellationToken.None);
        return new FileReply(SessionReply.Ok, info);
    }

    public Task<SessionReply> AnswerToolCallAsync(string toolCallId, ToolAnswer answer)
    {
        if (!_toolCalls.Remove(toolCallId, out var call))
        {
            return Task.FromResult(SessionReply.Rejected(SessionRefusal.Invalid, $"no tool call with id '{toolCallId}' is waiting for an answer"));
        }

        Touch();
        call.TrySetResult(answer);
        return Task.FromResult(SessionReply.Ok);
    }

    public Task<SessionInfo> DescribeAsync() =>
        Task.FromResult(new SessionInfo(_stage == Stage.Open, _lease is { } lease && !lease.Page.IsClosed ? lease.Page.Url : null));

    public async Task CloseAsync()
    {
        if (_stage == Stage.New)
        {
            await AbandonNotOpenAsync();
            await TaskRecord.FinishAsync(TaskPhase.Done, null, null,
                [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.Closed))]);
            return;
        }

        await EndAsync(TaskPhase.Done, SessionEndReasons.Closed, null, close: null);
    }

    private SessionReply? Refusal() => _stage switch
    {
        Stage.Open => null,
        Stage.Ended => SessionReply.Rejected(SessionRefusal.Closed, "the session is closed"),
        _ => SessionReply.Rejected(SessionRefusal.NotOpenHere, "the session is not open on this host"),
    };

    public async Task CancelAsync()
    {
        if (_stage == Stage.New)
        {
            // Not open here (its host restarted): only the record is left to end.
            await AbandonNotOpenAsync();
            await TaskRecord.FinishAsync(TaskPhase.Cancelled, null, "cancelled by the client",
                [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.Cancelled))]);
            return;
        }

        await EndAsync(TaskPhase.Cancelled, SessionEndReasons.Cancelled, "cancelled by the client", close: null);
    }

    public Task BrowserGoneAsync(string endReason, string detail) =>
        EndAsync(TaskPhase.Failed, endReason, detail, close: null);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_stage is Stage.Open or Stage.Opening)
        {
            try
            {
                await EndAsync(TaskPhase.Failed, SessionEndReasons.HostStopping,
                    $"{SessionEndReasons.HostStopping}: the session was deactivated ({reason.Description})", close: null)
                    .WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (Exception ex)
            {
                // The task record reports the session lost once this host is gone.
                LogEndOnDeactivateFailed(ex, SessionId);
            }
        }
    }

    private void Enqueue(SessionCommand command)
    {
        Touch();
        _mailbox.Enqueue(command);
        if (_pump is null || _pump.IsCompleted)
        {
            _pump = PumpAsync();
        }
    }

    private async Task PumpAsync()
    {
        await Task.Yield();
        while (_stage == Stage.Open && _mailbox.TryDequeue(out var command))
        {
            using var limit = command.TimeoutMs is { } timeoutMs ? new CancellationTokenSource(timeoutMs) : null;
            _commandLimit = limit;
            switch (command)
            {
                case CloseSession close:
                    await EndAsync(TaskPhase.Done, SessionEndReasons.Closed, null, close);
                    return;
                case RunAction run:
                    var outcome = await RunAsync(run.Action);
                    Touch();
                    await RecordAsync(run, outcome);
                    break;
                case RunAgent { Awaited: true } awaited:
                    var (answer, shots) = await RunAgentAsync(awaited);
                    Touch();
                    CompleteScript(awaited.EventId, new ScriptOutcome([answer]) { Screenshots = shots });
                    break;
                case RunAgent run:
                    var (result, _) = await RunAgentAsync(run);
                    Touch();
                    if (run.EventId == OneShotAgent)
                    {
                        await EndAsync(result.Ok ? TaskPhase.Done : TaskPhase.Failed, SessionEndReasons.TaskFinished, result.Error, close: null, result.Value, fromPump: true);
                        return;
                    }

                    await RecordAsync(run, result);
                    break;
                case Extract extract:
                    var (extracted, _) = await RunAgentAsync(extract);
                    Touch();
                    await RecordAsync(extract, extracted);
                    break;
                case RunScript script:
                    CompleteScript(script.EventId, await RunScriptAsync(script));
                    break;
            }

            _commandLimit = null;
            await CheckpointUrlAsync();
        }
    }

    /// <summary>Runs a script's actions in order until one fails, taking the screenshots it asks for.</summary>
    private async Task<ScriptOutcome> RunScriptAsync(RunScript script)
    {
        var shots = await RecorderAsync(script);
        var results = new List<ActionOutcome>(script.Actions.Count);
        foreach (var action in script.Actions)
        {
            results.Add(_stage == Stage.Open
                ? await RunAsync(action)
                : ActionOutcome.Failure(action.Type, ActionStatus.Interrupted, "the session ended while the task was running"));
            Touch();
            if (!results[^1].Ok)
            {
                break;
            }

            if (shots is not null)
            {
                await shots.AfterStepAsync();
            }
        }

        await FinishShotsAsync(shots);
        return new ScriptOutcome(results) { Screenshots = shots?.Names ?? [] };
    }

    /// <summary>The recorder of a command's screenshots, started on the current page; null when it takes none.</summary>
    private async Task<ScreenshotRecorder?> RecorderAsync(SessionCommand command)
    {
        if (command.Capture is not { } capture || _lease is null)
        {
            return null;
        }

        var recorder = new ScreenshotRecorder(capture, artifacts, PageAsync);
        await recorder.StartAsync();
        return recorder;
    }

    private async Task FinishShotsAsync(ScreenshotRecorder? shots)
    {
        if (shots is not null && _stage == Stage.Open)
        {
            await shots.FinishAsync();
        }
    }

    /// <summary>The session's active page; work that asks after the session ended is cancelled.</summary>
    private Task<Microsoft.Playwright.IPage> PageAsync() =>
        _lease is { } lease ? lease.GetPageAsync() : throw new OperationCanceledException("the session ended");

    private Task<IReadOnlyList<StoredFileInfo>> FilesAsync() => artifacts.ListAsync(SessionId, CancellationToken.None);

    /// <summary>Runs one action on the session's page, as work of the host's browsers (the warm pool refills around it).</summary>
    private Task<ActionOutcome> RunAsync(BrowserAction action) =>
        InterruptibleAsync(action.Type, async token =>
        {
            using var working = browsers.Working();
            return await runner.RunAsync(await _lease!.GetPageAsync(), action, Scope, token);
        });

    /// <summary>
    /// Runs one piece of work (an action, an agent run) under the running-work token that close, cancel, a lost
    /// browser or the idle timer cancel; work that outlived its session reports <c>Interrupted</c>.
    /// </summary>
    private async Task<ActionOutcome> InterruptibleAsync(string name, Func<CancellationToken, Task<ActionOutcome>> work)
    {
        var limit = _commandLimit;
        using var running = limit is null ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        _running = running;
        try
        {
            var outcome = await work(running.Token);
            return _stage != Stage.Open
                ? ActionOutcome.Failure(name, ActionStatus.Interrupted, "the session ended while the action was running", outcome.DurationMs)
                : limit is { IsCancellationRequested: true } ? TimedOut(name) : outcome;
        }
        catch (Exception ex) when (_stage != Stage.Open || ex is OperationCanceledException or Microsoft.Playwright.PlaywrightException)
        {
            return _stage == Stage.Open && limit is { IsCancellationRequested: true }
                ? TimedOut(name)
                : ActionOutcome.Failure(name, ActionStatus.Interrupted, "the session ended while the action was running");
        }
        finally
        {
            _running = null;
        }
    }

    private static ActionOutcome TimedOut(string name) =>
        ActionOutcome.Failure(name, ActionStatus.TimedOut, "timeout: the task did not finish within its time limit");

    private Task RecordAsync(SessionCommand command, ActionOutcome outcome)
    {
        if (command is RunAction { EventId: StartNavigation } start)
        {
            return outcome.Ok
                ? Task.CompletedTask
                : TaskRecord.AppendAsync(TaskEvent.Notice("navigation_failed", SessionNotices.NavigationFailed(((NavigateAction)start.Action).Url, outcome.Error)));
        }

        // An agent run charges its steps as they are recorded; an extract is charged with its result.
        var credits = command is Extract ? outcome.Credits : 0;
        return TaskRecord.AppendAsync(TaskEvent.ForResult(command.EventId, command.Channel, outcome) with { Credits = credits });
    }

    /// <summary>Runs the agent (a run_task or an extract), interruptible like any action, with the screenshots it asks for.</summary>
    private async Task<(ActionOutcome Outcome, IReadOnlyList<string> Screenshots)> RunAgentAsync(SessionCommand command)
    {
        var shots = await RecorderAsync(command);
        var session = new AgentSession(this, shots);
        var outcome = await (command switch
        {
            RunAgent run => InterruptibleAsync("run_task", token =>
                agent.RunAsync(session, run.Spec.CustomTools.Count > 0 ? run.Spec : run.Spec with { CustomTools = _customTools }, token)),
            Extract extract => InterruptibleAsync("extract", token => agent.ExtractAsync(session, extract.Schema, extract.Prompt, token)),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        });
        await FinishShotsAsync(shots);
        return (outcome, shots?.Names ?? []);
    }

    /// <summary>
    /// Stops every top-level navigation outside the task's allowed URLs, including ones the page starts itself. The
    /// navigation is answered 204 No Content, so the browser stays on the page it was on (an abort would leave an error page).
    /// </summary>
    private static Task AllowOnlyAsync(BrowserLease lease, UrlGlob allowed) =>
        lease.Context.RouteAsync("**/*", route =>
            route.Request.IsNavigationRequest && route.Request.Frame.ParentFrame is null && !allowed.Allows(route.Request.Url)
                ? route.FulfillAsync(new Microsoft.Playwright.RouteFulfillOptions { Status = 204 })
                : route.FallbackAsync());

    /// <summary>The session as the agent sees it: its page, its scope, its task record, and the client's tools.</summary>
    private sealed class AgentSession(SessionGrain session, ScreenshotRecorder? shots) : IAgentSession
    {
        public ActionScope Scope => session.Scope;

        public Task<IReadOnlyList<StoredFileInfo>> FilesAsync() => session.FilesAsync();

        public Task<Microsoft.Playwright.IPage> PageAsync() => session.PageAsync();

        public async Task RecordStepAsync(int step, string tool, JsonNode? input, ActionOutcome outcome, string url)
        {
            var screenshot = shots is null ? null : await shots.AfterStepAsync();
            var data = new JsonObject
            {
                ["step"] = step,
                ["tool"] = tool,
                ["input"] = input?.DeepClone(),
                ["ok"] = outcome.Ok,
                ["error"] = outcome.Error,
                ["url"] = url,
            };
            if (screenshot is not null)
            {
                data["screenshot"] = screenshot;
            }

            session.Touch();
            await session.TaskRecord.AppendAsync(TaskEvent.Notice("agent_step", data.ToJsonString()) with { Credits = 1 });
        }

        public async Task<ToolAnswer> CallToolAsync(string name, string inputJson, CancellationToken cancellationToken)
        {
            var id = "tc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
            var answer = new TaskCompletionSource<ToolAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            session._toolCalls[id] = answer;
            var data = new JsonObject { ["name"] = name, ["input"] = JsonNode.Parse(inputJson) };
            await session.TaskRecord.AppendAsync(new TaskEvent(id, "tool_call", 0, null, data.ToJsonString()));
            var timeout = session.ToolCallTimeout;
            try
            {
                return await answer.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new AgentToolTimeoutException($"tool_timeout: the client did not answer the call of its tool '{name}' within {timeout.TotalSeconds:0} seconds");
            }
            finally
            {
                session._toolCalls.Remove(id);
            }
        }
    }

    /// <summary>
    /// Ends the session once: interrupts the running action, closes the context, lets the pump record the
    /// interrupted result, answers every queued command, then finishes the task with the close result (if any)
    /// and <c>session_closed</c> before the status changes.
    /// </summary>
    private async Task EndAsync(TaskPhase phase, string reason, string? detail, CloseSession? close, string? output = null, bool fromPump = false)
    {
        if (_stage == Stage.Ended)
        {
            return;
        }

        _stage = Stage.Ended;
        _idleTimer?.Dispose();
        _running?.Cancel();
        await EndLiveViewAsync();
        var lease = _lease;
        _lease = null;
        await SaveProfileAsync(lease, final: true);
        if (lease is not null)
        {
            await lease.DisposeAsync();
        }

        Slots.Leave(SessionId);
        await ForgetRestoreAsync();

        // Called from the pump itself (a close, a finished one-shot task), there is nothing to wait for.
        if (close is null && !fromPump && _pump is { IsCompleted: false } pump)
        {
            await pump.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        var finalEvents = new List<TaskEvent>();
        while (_mailbox.TryDequeue(out var pending))
        {
            if (pending is RunAction { EventId: not StartNavigation } run)
            {
                finalEvents.Add(TaskEvent.ForResult(run.EventId, run.Channel,
                    ActionOutcome.Failure(run.Action.Type, ActionStatus.Interrupted, "the session ended before this action ran")));
            }
            else if (pending is RunAgent { Awaited: true } awaited)
            {
                CompleteScript(awaited.EventId, new ScriptOutcome([ActionOutcome.Failure("run_task", ActionStatus.Interrupted, "the session ended before this task ran")]));
            }
            else if (pending is RunAgent or Extract && pending.EventId != OneShotAgent)
            {
                finalEvents.Add(TaskEvent.ForResult(pending.EventId, pending.Channel,
                    ActionOutcome.Failure(pending is Extract ? "extract" : "run_task", ActionStatus.Interrupted, "the session ended before this action ran")));
            }
            else if (pending is RunScript script)
            {
                CompleteScript(script.EventId, new ScriptOutcome([ActionOutcome.Failure(
                    script.Actions.Count > 0 ? script.Actions[0].Type : "script", ActionStatus.Interrupted, "the session ended before this task ran")]));
            }
            else if (pending is CloseSession queuedClose)
            {
                finalEvents.Add(TaskEvent.ForResult(queuedClose.EventId, queuedClose.Channel, ActionOutcome.Success("close", "true", 0)));
            }
        }

        if (close is not null)
        {
            finalEvents.Add(TaskEvent.ForResult(close.EventId, close.Channel, ActionOutcome.Success("close", "true", 0)));
        }

        finalEvents.Add(TaskEvent.Notice("session_closed", SessionNotices.Closed(reason, detail)));
        await TaskRecord.FinishAsync(phase, output, phase == TaskPhase.Failed ? detail : null, finalEvents);
        DeactivateOnIdle();
    }

    private void CompleteScript(string scriptId, ScriptOutcome outcome)
    {
        if (_scripts.TryGetValue(scriptId, out var script))
        {
            script.TrySetResult(outcome);
        }
    }

    private Task CloseIfIdleAsync(CancellationToken cancellationToken)
    {
        var idleFor = TimeSpan.FromMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds() - Interlocked.Read(ref _lastActivity));
        var idleTimeout = TimeSpan.FromSeconds(options.Value.IdleTimeoutSeconds);
        var busy = _mailbox.Count > 0 || _pump is { IsCompleted: false };
        return _stage != Stage.Open || busy || idleFor < idleTimeout
            ? Task.CompletedTask
            : EndAsync(TaskPhase.Done, SessionEndReasons.IdleTimeout, $"no activity for {idleTimeout.TotalSeconds:0.###} seconds", close: null);
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, clock.GetUtcNow().ToUnixTimeMilliseconds());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} could not record its end while deactivating")]
    private partial void LogEndOnDeactivateFailed(Exception ex, string sessionId);
}
