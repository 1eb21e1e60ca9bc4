using Orleans.Runtime;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Tasks;

/// <summary>
/// A task's persistent record. Event timestamps are Unix ms and strictly increasing per task, so a reader that
/// polls with "events after the last timestamp I saw" never misses one. A task whose host silo is gone is
/// reported lost on its next read: nothing stays running after its browser's host died.
/// </summary>
public sealed class TaskGrain(
    [PersistentState("task", StorageNames.Default)] IPersistentState<TaskState> state,
    IClusterMembershipService membership,
    TimeProvider clock) : Grain, ITaskGrain
{
    private TaskState Record => state.State;

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
        Record.CdpToken = spec.CdpToken;
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
        }

        Record.Phase = phase;
        Record.Output = output;
        Record.Error = error;
        Record.FinishedAt = NowMs();
        Record.LiveToken = null;
        Record.CdpToken = null;
        await state.WriteStateAsync();
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
        return new TaskSnapshot(
            this.GetPrimaryKeyString(), Record.Owner, Record.Kind, Record.Phase, Record.Device, Record.Url,
            Record.Output, Record.Error, Record.CreatedAt, Record.FinishedAt, events)
        {
            Dialect = Record.Dialect ?? Dialects.TaskApi,
            CreditsUsed = Record.CreditsUsed,
            LiveToken = Record.LiveToken,
            CdpToken = Record.CdpToken,
        };
    }

    private async Task ReportLostHostAsync()
    {
        if (Record.Phase.IsFinished() || Record.Host is null)
        {
            return;
        }

        var status = membership.CurrentSnapshot.GetSiloStatus(Record.Host);
        if (status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.Created)
        {
            return;
        }

        const string reason = "session_lost: the SessionGrid host that ran this session stopped before it ended";
        await FinishAsync(
            TaskPhase.Failed, null, reason,
            [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.SessionLost, reason))]);
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

    private void AddEvent(TaskEvent taskEvent)
    {
        var timestamp = Math.Max(NowMs(), Record.LastEventAt + 1);
        Record.LastEventAt = timestamp;
        Record.CreditsUsed += taskEvent.Credits;
        Record.Events.Add(taskEvent with { Timestamp = timestamp });
    }

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
