using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Contracts.Tasks;

/// <summary>What a task record is created from.</summary>
[GenerateSerializer, Alias("sg.TaskSpec")]
public sealed record TaskSpec(
    [property: Id(0)] string Owner,
    [property: Id(1)] TaskKind Kind,
    [property: Id(2)] DeviceKind Device,
    [property: Id(3)] string? Url,
    [property: Id(4)] SiloAddress Host)
{
    /// <summary>The dialect the task was created through (<see cref="Dialects"/>).</summary>
    [Id(5)] public string Dialect { get; init; } = Dialects.TaskApi;

    /// <summary>The secret of the session's live-view link, made by the session when it opens; null for none.</summary>
    [Id(6)] public string? LiveToken { get; init; }

    /// <summary>The session can be restored on another node if its node is lost (it starts from a profile).</summary>
    [Id(7)] public bool Restorable { get; init; }

    /// <summary>The secret of the session's CDP endpoint, made by a session with its own browser when it opens; null for none.</summary>
    [Id(8)] public string? CdpToken { get; init; }

    /// <summary>The profile the session starts from; null for none.</summary>
    [Id(9)] public Profiles.ProfileUse? Profile { get; init; }

    /// <summary>The session records a video (it asked to, and its node can).</summary>
    [Id(10)] public bool Recording { get; init; }
}
