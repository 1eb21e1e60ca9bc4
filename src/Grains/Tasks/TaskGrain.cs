using Orleans.Runtime;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Tasks;

/// <summary>
/// A task's persistent record. Event timestamps are Unix ms and strictly increasing per task, so a reader that
/// polls with "events after the last timestamp I saw" never misses one. A task whose host silo is gone is
/// reported lost on its next read, or at once when the cluster declares its node dead (<see cref="HostLostAsync"/>):
/// nothing stays running after its browser's host died. A restorable (profile-backed) session stays running to be
/// restored on its next use, for up to the idle timeout. Readers long-poll it (<see cref="WaitForChangeAsync"/>):
/// every change (an event, a status) wakes them, and while the task has no work in flight they do not wait at all.
/// </summary>
public sealed class TaskGrain(
    [PersistentState("task", StorageNames.Default)] IPersistentState<TaskState> state,
    IClusterMembershipService membership,
    Microsoft.Extensions.Options.IOptions<Sessions.SessionOptions> sessionOptions,
    Artifacts.ArtifactLinks links,
    TimeProvider clock) : Grain, ITaskGrain
{
    /// <summary>
    /// How long after a graceful close the task still reads <c>running</c> to a reader that has not yet seen the close's
    /// result (see <see cref="ReadPhase"/>).
    /// </summary>
    public const long CloseGraceMs = 2_000;

    /// <summary>When the last result of a client's command was recorded (Unix ms); not persisted.</summary>
    private long? _lastResultAt;

    /// <summary>The ids of client commands whose result events are still to come (work in flight); not persisted.</summary>
    private readonly HashSet<string> _awaitedResults = new(StringComparer.Ordinal);

    /// <summary>Completed (and replaced) at every change, waking the long-polls that wait.</summary>
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TaskState Record => state.State;

    private bool InFlight => !Record.Phase.IsFinished()
        && (Record.Phase == TaskPhase.Waiting || Record.Kind == TaskKind.Agent || _awaitedResults.Count > 0);

    /// <summary>
    /// Until when a reader that has seen everything is still held after a client's command result
    /// (<see cref="Sessions.SessionOptions.FollowUpHoldMs"/>); null when not. A client that polls without pause (the
    /// Python SDK's <c>async with client.session()</c> reads again at once after a result) is about to send its next
    /// command, and a read answered empty would make it sleep its poll interval (1 s) before it sees that command's
    /// result; held, the read answers with that result as it lands, or empty once the hold has passed.
    /// </summary>
    private long? FollowUpUntil => !Record.Phase.IsFinished() && _lastResultAt is { } at ? at + sessionOptions.Value.FollowUpHoldMs : null;

    /// <summary>Whether a reader that has seen everything waits: work in flight, or a result just went to the client.</summary>
    private bool Holds(long now) => InFlight || FollowUpUntil > now;

    public async Task<long> CreateAsync(TaskSpec spec)
    {
        if (Record.Exists)
        {
            throw new InvalidOperationException($"Task {this.GetPrimaryKeyString()} already exists.");
        }

        var createdAt = await GrainFactory.GetGrain<ITenantGrain>(spec.Owner).AddTaskAsync(this.GetPrimaryKeyString(), spec.Dialect);
        Record.Exists = true;
        Record.Owner = spec.Owner;
        Record.Kind = spec.Kind;
        Record.Device = spec.Device;
        Record.Url = spec.Url;
        Record.Host = spec.Host;
        Record.Dialect = spec.Dialect;
        Record.LiveToken = spec.LiveToken;
        Record.Restorable = spec.Restorable;
        Record.CdpToken = spec.CdpToken;
        Record.Profile = spec.Profile;
        Record.Recording = spec.Recording ? new RecordingProgress() : null;
        Record.Phase = TaskPhase.Waiting;
        Record.CreatedAt = createdAt;
        await state.WriteStateAsync();
        return createdAt;
    }

    public async Task MarkRunningAsync()
    {
        if (Record.Phase == TaskPhase.Waiting)
        {
            Record.Phase = TaskPhase.Running;
            await state.WriteStateAsync();
            Changed();
        }
    }

    public async Task AppendAsync(TaskEvent taskEvent)
    {
        if (!Record.Exists || Record.Phase.IsFinished())
        {
            return;
        }

        AddEvent(taskEvent);
        await state.WriteStateAsync();
        Changed();
    }

    public async Task FinishAsync(TaskPhase phase, string? output, string? error, IReadOnlyList<TaskEvent> finalEvents)
    {
        if (!phase.IsFinished())
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "A task can only finish as done, failed or cancelled.");
        }

        if (!Record.Exists || Record.Phase.IsFinished())
        {
            return;
        }

        foreach (var finalEvent in finalEvents)
        {
            AddEvent(finalEvent);
            if (phase == TaskPhase.Done && finalEvent.Result is { Action: CloseSession.ResultAction, Ok: true })
            {
                Record.CloseResultAt = Record.LastEventAt;
            }
        }

        _awaitedResults.Clear();
        Record.Phase = phase;
        Record.Output = output;
        Record.Error = error;
        Record.FinishedAt = NowMs();
        Record.LiveToken = null;
        Record.CdpToken = null;
        await state.WriteStateAsync();
        Changed();
        Telemetry.SessionGridMetrics.TaskFinished(phase, Record.Kind, Record.Dialect);
    }

    public async Task<TaskSnapshot?> GetAsync(long eventsAfter, bool includeEvents)
    {
        if (!Record.Exists)
        {
            return null;
        }

        await ReportLostHostAsync();
        var events = includeEvents ? EventsAfter(eventsAfter) : [];
        var phase = ReadPhase(eventsAfter);
        var (recordingToken, recordingPending) = RecordingLink(phase);
        return new TaskSnapshot(
            this.GetPrimaryKeyString(), Record.Owner, Record.Kind, phase, Record.Device, Record.Url,
            Record.Output, Record.Error, Record.CreatedAt, phase.IsFinished() ? Record.FinishedAt : null, events)
        {
            Dialect = Record.Dialect ?? Dialects.TaskApi,
            CreditsUsed = Record.CreditsUsed,
            LiveToken = Record.LiveToken,
            CdpToken = Record.CdpToken,
            InFlight = Holds(NowMs()),
            Profile = Record.Profile,
            Node = phase.IsFinished() || Record.Host is not { } host ? null
                : membership.CurrentSnapshot.Members.TryGetValue(host, out var member) ? member.Name : null,
            Recording = Record.Recording,
            RecordingToken = recordingToken,
            RecordingPending = recordingPending,
        };
    }

    public async Task RecordingAsync(RecordingProgress progress)
    {
        if (!Record.Exists || Record.Recording is not { } current)
        {
            return;
        }

        Record.Recording = current with
        {
            StartedAt = current.StartedAt ?? progress.StartedAt,
            Finished = current.Finished || progress.Finished,
            Size = progress.Finished ? progress.Size : current.Size,
            DurationMs = Math.Max(current.DurationMs, progress.DurationMs),
            // Segments are kept until the finished video replaces them; then the video's own expiry is the recording's.
            ExpiresAt = progress.Finished ? progress.ExpiresAt : Math.Max(current.ExpiresAt, progress.ExpiresAt),
            Truncated = current.Truncated ?? progress.Truncated,
            Abandoned = current.Abandoned || progress.Abandoned,
        };
        await state.WriteStateAsync();
        Changed();
    }

    /// <summary>
    /// The recording's link token once the task finished and the video is there (kept, not expired), or once no recorder
    /// will finish it (its node is gone, or the session ended without one) and some of it was stored; whether it is
    /// still to come (the session records, or its recorder is finishing on a live node).
    /// </summary>
    private (string? Token, bool Pending) RecordingLink(TaskPhase phase)
    {
        if (Record.Recording is not { } recording)
        {
            return (null, false);
        }

        if (!phase.IsFinished())
        {
            return (null, true);
        }

        var kept = recording.ExpiresAt > NowMs();
        if (recording.Finished)
        {
            return recording.Size > 0 && kept ? (links.Token(this.GetPrimaryKeyString(), ArtifactLinkKinds.Recording), false) : (null, false);
        }

        if (!recording.Abandoned && HostActive())
        {
            return (null, true);
        }

        return recording.StartedAt is not null && kept ? (links.Token(this.GetPrimaryKeyString(), ArtifactLinkKinds.Recording), false) : (null, false);
    }

    private bool HostActive() =>
        Record.Host is { } host && membership.CurrentSnapshot.GetSiloStatus(host) is SiloStatus.Active or SiloStatus.Joining or SiloStatus.Created;

    public Task ExpectResultAsync(string eventId)
    {
        if (Record.Exists && !Record.Phase.IsFinished())
        {
            _awaitedResults.Add(eventId);
        }

        return Task.CompletedTask;
    }

    public async Task<bool> WaitForChangeAsync(long eventsAfter, TaskPhase seen, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var until = NowMs() + (long)maxWait.TotalMilliseconds;
        while (true)
        {
            var now = NowMs();
            if (!Record.Exists || Record.LastEventAt > eventsAfter || ReadPhase(eventsAfter) != seen || !Holds(now))
            {
                return true;
            }

            // In the follow-up window alone the wait ends with it, unless the client's next command came meanwhile.
            var holdUntil = InFlight ? until : Math.Min(until, FollowUpUntil!.Value);
            if (holdUntil <= now)
            {
                return false;
            }

            try
            {
                await _changed.Task.WaitAsync(TimeSpan.FromMilliseconds(holdUntil - now), clock, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                // Look again: a command that came in the window keeps the reader waiting for its result.
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    public async Task<bool> WaitForEndAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + maxWait;
        while (Record.Exists && !Record.Phase.IsFinished())
        {
            var left = until - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await _changed.Task.WaitAsync(left, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The status a reader is told. A session that a graceful close ended still reads <c>running</c> to a reader whose
    /// cursor (<paramref name="eventsAfter"/>) is before the close's result, for <see cref="CloseGraceMs"/>: clients that
    /// stop polling at the first finished status and skip that answer's events (the Smooth SDKs) so still get the close's
    /// result, and read <c>done</c> on their next poll.
    /// </summary>
    private TaskPhase ReadPhase(long eventsAfter) =>
        Record is { Phase: TaskPhase.Done, CloseResultAt: { } closedAt, FinishedAt: { } finishedAt }
            && eventsAfter < closedAt && NowMs() - finishedAt < CloseGraceMs
            ? TaskPhase.Running
            : Record.Phase;

    public async Task HostLostAsync(SiloAddress host)
    {
        if (!Record.Exists || Record.Phase.IsFinished() || !host.Equals(Record.Host))
        {
            return;
        }

        await EndLostAsync(declaredDead: true);
    }

    public async Task RestoredAsync(SiloAddress host, TaskEvent restored)
    {
        if (!Record.Exists || Record.Phase.IsFinished())
        {
            return;
        }

        Record.Host = host;
        Record.LostAt = null;
        AddEvent(restored);
        await state.WriteStateAsync();
        Changed();
    }

    private async Task ReportLostHostAsync()
    {
        if (Record.Phase.IsFinished())
        {
            return;
        }

        if (Record.Host is null)
        {
            await EndUnrestoredAsync();
            return;
        }

        if (HostActive())
        {
            return;
        }

        // A silo the cluster knows and declared dead is a lost node; one it does not know is a host that restarted.
        await EndLostAsync(membership.CurrentSnapshot.Members.TryGetValue(Record.Host, out var member) && member.Status == SiloStatus.Dead);
    }

    /// <summary>
    /// The task's host is gone: a restorable session waits for its next use; any other task fails, <c>node_lost</c>
    /// when the cluster declared its node dead, <c>session_lost</c> when the host simply is not there any more (restarted).
    /// </summary>
    private async Task EndLostAsync(bool declaredDead)
    {
        if (Record.Restorable)
        {
            await AwaitRestoreAsync();
            return;
        }

        var reason = declaredDead
            ? $"node_lost: the node that ran this task ({Record.Host}) was lost before the task ended"
            : "session_lost: the SessionGrid host that ran this session stopped before it ended";
        await FinishAsync(TaskPhase.Failed, null, reason,
            [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.SessionLost, reason))]);
    }

    /// <summary>A restorable session whose node is gone: no host until its next use restores it elsewhere.</summary>
    private async Task AwaitRestoreAsync()
    {
        Record.Host = null;
        Record.LostAt = NowMs();
        await state.WriteStateAsync();
    }

    /// <summary>A lost restorable session nobody used for the idle timeout ends as an idle session would.</summary>
    private async Task EndUnrestoredAsync()
    {
        if (Record.LostAt is not { } lostAt || NowMs() - lostAt < sessionOptions.Value.IdleTimeoutSeconds * 1000)
        {
            return;
        }

        var detail = $"the session's node was lost and the session was not used again for {sessionOptions.Value.IdleTimeoutSeconds:0.###} seconds";
        await FinishAsync(TaskPhase.Done, null, null,
            [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.IdleTimeout, detail))]);
    }

    private List<TaskEvent> EventsAfter(long after)
    {
        // Events are in ascending timestamp order: find the first one past the cursor.
        var events = Record.Events;
        var low = 0;
        var high = events.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (events[mid].Timestamp <= after)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return events.GetRange(low, events.Count - low);
    }

    /// <summary>Wakes every waiting long-poll.</summary>
    private void Changed() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private void AddEvent(TaskEvent taskEvent)
    {
        if (taskEvent.Id is { } id && _awaitedResults.Remove(id))
        {
            _lastResultAt = NowMs();
        }

        var timestamp = Math.Max(NowMs(), Record.LastEventAt + 1);
        Record.LastEventAt = timestamp;
        Record.CreditsUsed += taskEvent.Credits;
        Record.Events.Add(taskEvent with { Timestamp = timestamp });
    }

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
