using Microsoft.Extensions.Logging;
using Orleans.Placement;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Tasks;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// One browser session, from open to end: its context lives in this silo's memory, so the grain never moves. Its
/// commands go through its <see cref="SessionMailbox"/> (one at a time, in arrival order, beside the grain's requests,
/// so a cancel, a close, a lost browser or the idle timer can interrupt the one that runs); what each command does is
/// <see cref="SessionWork"/>'s. Every result goes to the session's task record; the record's last events are the
/// results of whatever was pending, then <c>session_closed</c>, then the final status. The partial files hold the
/// session's capacity, profile, live view, CDP endpoint and restore after node loss.
/// </summary>
[Immovable, BrowserCapacityPlacement]
public sealed partial class SessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<SessionRestoreState> restore,
    SessionServices services,
    ILocalSiloDetails silo,
    ILogger<SessionGrain> log) : Grain, ISessionGrain
{
    /// <summary>How long an end waits for the command that was running to record its interrupted result.</summary>
    private static readonly TimeSpan PumpWaitOnEnd = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="DescribePageAsync"/> waits for the page's title (a navigating page may not answer at once).</summary>
    private static readonly TimeSpan TitleWait = TimeSpan.FromSeconds(1);

    private readonly AwaitedResults _awaited = new();
    private string _owner = "";
    private Stage _stage = Stage.New;
    private BrowserLease? _lease;
    private SessionPage? _page;
    private SessionMailbox? _mailbox;
    private SessionWork? _work;
    private PendingToolCalls? _toolCalls;
    private long _lastActivity;
    private IGrainTimer? _idleTimer;

    private enum Stage
    {
        New,
        Opening,
        Open,
        /// <summary>Handed over by a draining node: the next activation, on another node, restores it.</summary>
        Moved,
        Ended,
    }

    private string SessionId => this.GetPrimaryKeyString();

    private ITaskGrain TaskRecord => GrainFactory.GetGrain<ITaskGrain>(SessionId);

    public async Task<SessionReply> OpenAsync(SessionSpec spec)
    {
        if (_stage != Stage.New)
        {
            throw new InvalidOperationException($"Session {SessionId} was already opened.");
        }

        spec = WithIsolationForExtensions(spec);
        if (services.Browsers.Refusal(spec.Extras) is { } badExtras)
        {
            DeactivateOnIdle();
            return SessionReply.Rejected(SessionRefusal.Invalid, badExtras);
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
            Profile = spec.Profile,
            Recording = Records(spec),
        });
        await ReportRecordingUnavailableAsync(spec);
        PrepareMailbox(spec);
        if (spec.Agent is { } oneShot)
        {
            Post(new Mail(new RunAgent("", "", oneShot with { StartUrl = spec.StartUrl }), new OneShotTarget(EndOneShotAsync)));
        }
        else if (spec.StartUrl is { } url)
        {
            Post(new Mail(new RunAction("", "", new NavigateAction(url)), new StartNavigationTarget(TaskRecord, url)));
        }

        // A queued session answers at once (its task waiting) and opens when a browser frees; its commands wait for it.
        var opening = StartAsync(spec, storageState, slot);
        if (slot != SlotEntry.Queued)
        {
            await opening;
        }

        return SessionReply.Ok;
    }

    /// <summary>
    /// Waits for capacity when the session is queued, opens its browser context (from the profile's state), and starts
    /// its mailbox and timers; false when the session ended instead (no capacity in time, no browser), its task record finished.
    /// </summary>
    private async Task<bool> StartAsync(SessionSpec spec, string? storageState, SlotEntry slot, bool restoring = false)
    {
        if (slot == SlotEntry.Queued && !await services.Slots.WaitAsync(SessionId))
        {
            if (_stage != Stage.Ended)
            {
                await NoCapacityAsync();
            }

            return false;
        }

        try
        {
            _lease = await AcquireBrowserAsync(spec, storageState);
        }
        catch (Exception ex) when (ex is BrowserUnavailableException or ObjectDisposedException)
        {
            await BrowserUnavailableAsync(ex.Message);
            return false;
        }

        if (_stage == Stage.Ended)
        {
            // Closed or cancelled while its browser opened.
            await _lease.DisposeAsync();
            _lease = null;
            return false;
        }

        _stage = Stage.Open;
        await WatchDownloadsAsync();
        StartRecording(spec, restoring);
        await TaskRecord.MarkRunningAsync();
        await RememberForRestoreAsync(spec);
        Touch();
        var idle = TimeSpan.FromSeconds(services.Session.IdleTimeoutSeconds);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 100, 5_000));
        _idleTimer = this.RegisterGrainTimer(CloseIfIdleAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        StartProfileSaves();
        await CopyUploadsAsync(spec.Files);
        if (spec.AllowedUrls.Count > 0)
        {
            await _lease.AllowOnlyAsync(new UrlGlob(spec.AllowedUrls).Allows);
        }

        _mailbox!.Start();
        return true;
    }

    /// <summary>The session's mailbox and what its commands work with, made when it starts to open (commands may come before its browser).</summary>
    private void PrepareMailbox(SessionSpec spec)
    {
        var allowed = spec.AllowedUrls.Count > 0 ? new UrlGlob(spec.AllowedUrls) : null;
        _recordingAsked = spec.Record;
        _page = new SessionPage(() => _lease);
        _mailbox = new SessionMailbox(HandleAsync);
        _toolCalls = new PendingToolCalls(TaskRecord, TimeSpan.FromSeconds(services.AgentSettings.ToolCallTimeoutSeconds), _mailbox.RunNestedUntilAsync);
        var scope = new ActionScope(_owner, SessionId, allowed) { OfferLiveView = OfferLiveViewAsync, Proxy = services.Browsers.ProxyShownFor(spec.Extras) };
        _work = new SessionWork(services, _mailbox, _page, scope,
            TaskRecord, _toolCalls, spec, NewDownloads(), Touch);
    }

    public Task<SessionReply> EnqueueAsync(SessionCommand command) => command is RunScript
        ? Task.FromResult(SessionReply.Rejected(SessionRefusal.Invalid, "a script's outcome is collected by its sender: submit it"))
        : AcceptAsync(command, async () =>
        {
            // The result event is in flight from now on: a long-poll of the task waits for it.
            await TaskRecord.ExpectResultAsync(command.EventId);
            return new EventLogTarget(TaskRecord);
        });

    public Task<SessionReply> SubmitAsync(SessionCommand command) => command is CloseSession
        ? Task.FromResult(SessionReply.Rejected(SessionRefusal.Invalid, "a close has no outcome to collect: enqueue it"))
        : AcceptAsync(command, () => Task.FromResult<ResultTarget>(_awaited.Expect(command.EventId)));

    /// <summary>
    /// Takes a command into the mailbox once it fits the session; a refused command changes nothing. A command that
    /// comes while the session waits for its browser waits too, and is checked when it runs.
    /// </summary>
    private async Task<SessionReply> AcceptAsync(SessionCommand command, Func<Task<ResultTarget>> target)
    {
        await RestoreIfLostAsync();
        var opening = _stage == Stage.Opening && _mailbox is not null;
        if (!opening && Refusal() is { } refused)
        {
            return refused;
        }

        var limit = services.Session.MaxQueuedCommands;
        if (_mailbox!.Waiting >= limit)
        {
            return SessionReply.Rejected(SessionRefusal.LimitReached, $"the session already has {limit} commands waiting; retry when some have finished");
        }

        if (!opening && await _work!.CheckAsync(command) is { } problem)
        {
            return SessionReply.Rejected(SessionRefusal.Invalid, problem.Problem, problem.Index);
        }

        // Checking awaited: the session may have ended meanwhile.
        if (_stage == Stage.Ended && Refusal() is { } ended)
        {
            return ended;
        }

        Post(new Mail(command, await target(), Checked: !opening));
        return SessionReply.Ok;
    }

    public Task<ScriptOutcome?> AwaitResultAsync(string commandId, TimeSpan maxWait) => _awaited.CollectAsync(commandId, maxWait);

    public Task<SessionReply> AnswerToolCallAsync(string toolCallId, ToolAnswer answer)
    {
        if (_toolCalls?.Answer(toolCallId, answer) != true)
        {
            return Task.FromResult(SessionReply.Rejected(SessionRefusal.Invalid, $"no tool call with id '{toolCallId}' is waiting for an answer"));
        }

        Touch();
        return Task.FromResult(SessionReply.Ok);
    }

    public Task<SessionInfo> DescribeAsync() => Task.FromResult(new SessionInfo(_stage == Stage.Open, _page?.Url));

    public async Task<SessionInfo> DescribePageAsync() =>
        await DescribeAsync() with { Title = _stage == Stage.Open && _page is { } page ? await page.TitleAsync(TitleWait) : null };

    public async Task CloseAsync()
    {
        if (_stage == Stage.New)
        {
            await AbandonNotOpenAsync();
            await TaskRecord.FinishAsync(TaskPhase.Done, null, null,
                [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.Closed))]);
            return;
        }

        await EndAsync(TaskPhase.Done, SessionEndReasons.Closed, null);
    }

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

        await EndAsync(TaskPhase.Cancelled, SessionEndReasons.Cancelled, "cancelled by the client");
    }

    public Task BrowserGoneAsync(string endReason, string detail) => EndAsync(TaskPhase.Failed, endReason, detail);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_stage is Stage.Open or Stage.Opening)
        {
            try
            {
                await EndAsync(TaskPhase.Failed, SessionEndReasons.HostStopping,
                    $"{SessionEndReasons.HostStopping}: the session was deactivated ({reason.Description})")
                    .WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (Exception ex)
            {
                // The task record reports the session lost once this host is gone.
                LogEndOnDeactivateFailed(ex, SessionId);
            }
        }
    }

    private SessionReply? Refusal() => _stage switch
    {
        Stage.Open => null,
        Stage.Ended => SessionReply.Rejected(SessionRefusal.Closed, "the session is closed"),
        _ => SessionReply.Rejected(SessionRefusal.NotOpenHere, "the session is not open on this host"),
    };

    private void Post(Mail mail)
    {
        Touch();
        _mailbox!.Post(mail);
    }

    /// <summary>The mailbox's handler: runs one command and hands its result to its target; a close ends the session.</summary>
    private async Task HandleAsync(Mail mail)
    {
        if (mail.Command is CloseSession)
        {
            await EndAsync(TaskPhase.Done, SessionEndReasons.Closed, null, closing: mail);
            return;
        }

        await RecordingStartedAsync();
        var outcome = await _work!.RefusalAsync(mail, _mailbox!.Depth) ?? await _work.RunAsync(mail.Command);
        await mail.Target.DeliverAsync(mail.Command, outcome);
        await CheckpointUrlAsync();
    }

    /// <summary>A one-shot agent task finished: the session ends with its output (done) or its error (failed).</summary>
    private Task EndOneShotAsync(ActionOutcome result) =>
        EndAsync(result.Ok ? TaskPhase.Done : TaskPhase.Failed, SessionEndReasons.TaskFinished, result.Error, output: result.Value, fromPump: true);

    /// <summary>
    /// Ends the session once: closes its mailbox (interrupting the running command), its live view and its context,
    /// gives back its capacity and profile, waits for the interrupted command's result, answers every command that never
    /// ran, then finishes the task with those answers, the close's own result (when a close ended it) and
    /// <c>session_closed</c> before the status changes. <paramref name="fromPump"/>: called from the mailbox's own
    /// handler (a close, a one-shot task's end), which nothing is to wait for.
    /// </summary>
    private async Task EndAsync(TaskPhase phase, string reason, string? detail, Mail? closing = null, string? output = null, bool fromPump = false)
    {
        if (_stage == Stage.Ended)
        {
            return;
        }

        _stage = Stage.Ended;
        await ReleaseBrowserAsync();
        await ForgetRestoreAsync();
        await FinishAsync(phase, reason, detail, output: output, closing: closing, fromPump: fromPump || closing is not null);
    }

    /// <summary>
    /// Gives up what the session holds on this silo: its timers, mailbox (interrupting the running command), live view,
    /// downloads, recording and context, its profile (saved a last time and released) and its capacity.
    /// </summary>
    private async Task ReleaseBrowserAsync()
    {
        _idleTimer?.Dispose();
        _mailbox?.Close();
        await EndLiveViewAsync();
        await StopDownloadsAsync();
        StopRecording();
        var lease = _lease;
        _lease = null;
        await SaveProfileAsync(lease, final: true);
        if (lease is not null)
        {
            await lease.DisposeAsync();
        }

        services.Slots.Leave(SessionId);
    }

    /// <summary>
    /// Finishes the session's task: the answers owed to the commands that never ran (or ran beneath the closing one),
    /// the close's own result when a close ended it, <c>session_closed</c> (with <paramref name="detail"/>), then the
    /// status (a failure's error: <paramref name="error"/>, else the detail); the grain then deactivates.
    /// </summary>
    private async Task FinishAsync(
        TaskPhase phase, string reason, string? detail, string? error = null, string? output = null, Mail? closing = null, bool fromPump = false)
    {
        var finalEvents = await OwedAnswersAsync(closing, fromPump);
        if (closing?.Target.NotRun(closing.Command) is { } closed)
        {
            finalEvents.Add(closed);
        }

        finalEvents.Add(TaskEvent.Notice("session_closed", SessionNotices.Closed(reason, detail)));
        await AbandonRecordingAsync();
        await TaskRecord.FinishAsync(phase, output, phase == TaskPhase.Failed ? error ?? detail : null, finalEvents);
        DeactivateOnIdle();
    }

    /// <summary>The answers owed to the commands that never ran (or were interrupted), once the mailbox is closed.</summary>
    private async Task<List<TaskEvent>> OwedAnswersAsync(Mail? closing, bool fromPump)
    {
        var answers = new List<TaskEvent>();
        if (_mailbox is { } mailbox)
        {
            mailbox.Close();
            foreach (var (mail, wasRunning) in await mailbox.OwedAsync(PumpWaitOnEnd, closing, fromPump))
            {
                if (mail.Target.NotRun(mail.Command, wasRunning) is { } answer)
                {
                    answers.Add(answer);
                }
            }
        }

        return answers;
    }

    private Task CloseIfIdleAsync(CancellationToken cancellationToken)
    {
        var idleFor = TimeSpan.FromMilliseconds(services.Clock.GetUtcNow().ToUnixTimeMilliseconds() - Interlocked.Read(ref _lastActivity));
        var idleTimeout = TimeSpan.FromSeconds(services.Session.IdleTimeoutSeconds);
        return _stage != Stage.Open || _mailbox!.Busy || idleFor < idleTimeout
            ? Task.CompletedTask
            : EndAsync(TaskPhase.Done, SessionEndReasons.IdleTimeout, $"no activity for {idleTimeout.TotalSeconds:0.###} seconds");
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, services.Clock.GetUtcNow().ToUnixTimeMilliseconds());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} could not record its end while deactivating")]
    private partial void LogEndOnDeactivateFailed(Exception ex, string sessionId);
}
