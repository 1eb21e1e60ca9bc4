
namespace SessionGrid.Contracts.Tasks;

/// <summary>
/// The persistent record of one task (key: task id). Only the session grain that runs the task writes to it;
/// readers poll it. It never calls other grains back, so there are no call cycles.
/// </summary>
[Alias("sg.ITaskGrain")]
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>Creates the record (status waiting) and indexes it for its owner. Returns the creation time (Unix ms).</summary>
    [Alias("Create")]
    Task<long> CreateAsync(TaskSpec spec);

    [Alias("MarkRunning")]
    Task MarkRunningAsync();

    [Alias("Append")]
    Task AppendAsync(TaskEvent taskEvent);

    /// <summary>Ends the task. <paramref name="finalEvents"/> are appended before the status changes, in order.</summary>
    [Alias("Finish")]
    Task FinishAsync(TaskPhase phase, string? output, string? error, IReadOnlyList<TaskEvent> finalEvents);

    /// <summary>
    /// The node that ran the task was declared dead: a restorable session stays running (it is restored on its next
    /// use); any other task fails with <c>node_lost</c> and a <c>session_closed</c> notice (reason <c>session_lost</c>).
    /// Nothing when the task finished or moved to another node since.
    /// </summary>
    [Alias("HostLost")]
    Task HostLostAsync(SiloAddress host);

    /// <summary>A restorable session was restored on <paramref name="host"/>: records the move and the <c>session_restored</c> event.</summary>
    [Alias("Restored")]
    Task RestoredAsync(SiloAddress host, TaskEvent restored);

    /// <summary>
    /// The session's recorder reports its progress (the first stored segment, a truncation, its end), also after the task
    /// finished; nothing when the task records no video.
    /// </summary>
    [Alias("Recording")]
    Task RecordingAsync(RecordingProgress progress);

    /// <summary>The record with the events whose timestamp is strictly after <paramref name="eventsAfter"/>; null when no such task.</summary>
    [Alias("Get")]
    Task<TaskSnapshot?> GetAsync(long eventsAfter, bool includeEvents);

    /// <summary>
    /// The session took a client's command whose result event will carry <paramref name="eventId"/>: until that event is
    /// recorded the task has work in flight, and a long-poll waits for it (<see cref="WaitForChangeAsync"/>).
    /// </summary>
    [Alias("ExpectResult")]
    Task ExpectResultAsync(string eventId);

    /// <summary>
    /// A long-poll's wait, which blocks no turn of the grain: true at once when the task has an event after
    /// <paramref name="eventsAfter"/>, a status other than <paramref name="seen"/>, or nothing to wait for (no work in
    /// flight, no result of a client's command within the last second); else true as soon as one of those changes, false
    /// after <paramref name="maxWait"/> (kept under the grain call timeout: see <c>LongPoll</c>) or once the follow-up
    /// second passed with nothing in flight. A reader that goes away cancels it.
    /// </summary>
    [Alias("WaitForChange"), Orleans.Concurrency.AlwaysInterleave]
    Task<bool> WaitForChangeAsync(long eventsAfter, TaskPhase seen, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>
    /// A long-poll's wait for the task's end, which blocks no turn of the grain: true at once when there is no such task
    /// or it finished, else true as soon as it finishes, false after <paramref name="maxWait"/> (kept under the grain
    /// call timeout: see <c>LongPoll</c>). For a watcher that tells its client when a session ended (an MCP
    /// resource's notifications); a reader that goes away cancels it.
    /// </summary>
    [Alias("WaitForEnd"), Orleans.Concurrency.AlwaysInterleave]
    Task<bool> WaitForEndAsync(TimeSpan maxWait, CancellationToken cancellationToken);
}
