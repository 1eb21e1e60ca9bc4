using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Contracts.Tasks;

/// <summary>A read of a task record, with the events newer than the reader's cursor.</summary>
[GenerateSerializer, Alias("sg.TaskSnapshot")]
public sealed record TaskSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Owner,
    [property: Id(2)] TaskKind Kind,
    [property: Id(3)] TaskPhase Phase,
    [property: Id(4)] DeviceKind Device,
    [property: Id(5)] string? Url,
    [property: Id(6)] string? Output,
    [property: Id(7)] string? Error,
    [property: Id(8)] long CreatedAt,
    [property: Id(9)] long? FinishedAt,
    [property: Id(10)] IReadOnlyList<TaskEvent> Events)
{
    [Id(11)] public string Dialect { get; init; } = Dialects.TaskApi;

    [Id(12)] public int CreditsUsed { get; init; }

    /// <summary>The secret of the session's live-view link while the task waits or runs; null once it finished.</summary>
    [Id(13)] public string? LiveToken { get; init; }

    /// <summary>The secret of the session's CDP endpoint while the task waits or runs (dedicated isolation only); null once it finished.</summary>
    [Id(14)] public string? CdpToken { get; init; }

    /// <summary>
    /// Whether a long-poll of the task waits: it has work in flight that will record an event (it is still opening, a
    /// one-shot agent runs, or a client's command waits for its result), or a client's command result was recorded
    /// within the last second (its client is likely to send the next command; <c>SessionGrid:Session:FollowUpHoldMs</c>).
    /// Otherwise a read answers at once.
    /// </summary>
    [Id(15)] public bool InFlight { get; init; }

    /// <summary>The name of the node (silo) that hosts the session while the task waits or runs; null once it ended or when unknown.</summary>
    [Id(16)] public string? Node { get; init; }

    /// <summary>The profile the session starts from (and whether it saves back to it); null for none.</summary>
    [Id(17)] public Profiles.ProfileUse? Profile { get; init; }

    /// <summary>The session's recording as far as it got; null when it records none.</summary>
    [Id(18)] public RecordingProgress? Recording { get; init; }

    /// <summary>
    /// A signed token that opens the recording by link, once the task finished and the video is there (or, its node
    /// gone, what was stored of it); null otherwise.
    /// </summary>
    [Id(19)] public string? RecordingToken { get; init; }

    /// <summary>The recording is not there yet but will be: the session still records, or its recorder is finishing.</summary>
    [Id(20)] public bool RecordingPending { get; init; }
}
