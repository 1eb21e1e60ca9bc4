using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Grains.Tasks;

/// <summary>The persisted form of a task record.</summary>
[GenerateSerializer, Alias("sg.TaskState")]
public sealed class TaskState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Owner { get; set; } = "";
    [Id(2)] public TaskKind Kind { get; set; }
    [Id(3)] public TaskPhase Phase { get; set; }
    [Id(4)] public DeviceKind Device { get; set; }
    [Id(5)] public string? Url { get; set; }
    [Id(6)] public string? Output { get; set; }
    [Id(7)] public string? Error { get; set; }
    [Id(8)] public long CreatedAt { get; set; }
    [Id(9)] public long? FinishedAt { get; set; }
    /// <summary>The silo whose session grain runs this task; when it is no longer alive, the task is lost.</summary>
    [Id(10)] public SiloAddress? Host { get; set; }
    [Id(11)] public List<TaskEvent> Events { get; set; } = [];
    [Id(12)] public long LastEventAt { get; set; }
    [Id(13)] public string? Dialect { get; set; }
    [Id(14)] public int CreditsUsed { get; set; }
    /// <summary>The session's live-view token until the task finishes (then forgotten: the link opens nothing any more).</summary>
    [Id(15)] public string? LiveToken { get; set; }

    /// <summary>A profile-backed session: restored on another node, instead of failed, when its node is lost.</summary>
    [Id(16)] public bool Restorable { get; set; }

    /// <summary>When a restorable session's node was found lost (Unix ms); null while it has a host.</summary>
    [Id(17)] public long? LostAt { get; set; }

    /// <summary>The session's CDP token until the task finishes (dedicated isolation only), forgotten like the live token.</summary>
    [Id(18)] public string? CdpToken { get; set; }

    /// <summary>The timestamp of a graceful close's result event, when a close ended the session (see <c>TaskGrain.ReadPhase</c>).</summary>
    [Id(19)] public long? CloseResultAt { get; set; }

    /// <summary>The profile the session starts from (and whether it saves back to it); null for none.</summary>
    [Id(20)] public Contracts.Profiles.ProfileUse? Profile { get; set; }

    /// <summary>The session's recording as its recorder reported it; null when the session records none.</summary>
    [Id(21)] public RecordingProgress? Recording { get; set; }
}
