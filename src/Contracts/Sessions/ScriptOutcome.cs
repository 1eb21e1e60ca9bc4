using SessionGrid.Contracts.Actions;

namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// What a submitted command did: one outcome per action that ran, in order (one for an agent run). When an action failed it is the
/// last entry, and the actions after it did not run.
/// </summary>
[GenerateSerializer, Alias("sg.ScriptOutcome")]
public sealed record ScriptOutcome([property: Id(0)] IReadOnlyList<ActionOutcome> Results)
{
    /// <summary>The failed action's outcome, or null when every action succeeded.</summary>
    public ActionOutcome? Failure => Results.Count > 0 && !Results[^1].Ok ? Results[^1] : null;

    /// <summary>The names of the screenshots the command took (<see cref="SessionCommand.Capture"/>), in order.</summary>
    [Id(1)] public IReadOnlyList<string> Screenshots { get; init; } = [];
}
