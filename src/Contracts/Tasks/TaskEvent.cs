using SessionGrid.Contracts.Actions;

namespace SessionGrid.Contracts.Tasks;

/// <summary>
/// One entry of a task's ordered event log. <see cref="Timestamp"/> is Unix milliseconds, assigned by the task grain
/// and strictly increasing per task. An event is either the result of a client request (<see cref="Result"/> set,
/// <see cref="Id"/> = the request's id, <see cref="Name"/> = the request's channel) or a notice from the engine
/// (<see cref="Data"/> holds a JSON object, e.g. <c>session_closed</c> with its reason).
/// </summary>
[GenerateSerializer, Alias("sg.TaskEvent")]
public sealed record TaskEvent(
    [property: Id(0)] string? Id,
    [property: Id(1)] string Name,
    [property: Id(2)] long Timestamp,
    [property: Id(3)] ActionOutcome? Result,
    [property: Id(4)] string? Data)
{
    /// <summary>Credits this event adds to the task's <c>credits_used</c> (one per agent step).</summary>
    [Id(5)] public int Credits { get; init; }

    public static TaskEvent ForResult(string? id, string channel, ActionOutcome outcome) => new(id, channel, 0, outcome, null);

    public static TaskEvent Notice(string name, string dataJson) => new(null, name, 0, null, dataJson);
}
