using SessionGrid.Contracts.Actions;

namespace SessionGrid.Contracts.Sessions;

/// <summary>A command in a session's mailbox. <see cref="EventId"/> and <see cref="Channel"/> label its result.</summary>
[GenerateSerializer, Alias("sg.SessionCommand")]
public abstract record SessionCommand([property: Id(0)] string EventId, [property: Id(1)] string Channel)
{
    /// <summary>Screenshots to take while the command runs (scripts and agent runs); null for none.</summary>
    [Id(2)] public ScreenshotCapture? Capture { get; init; }

    /// <summary>How long the command may run once it started; at expiry its work stops and it fails with <c>timeout</c>.</summary>
    [Id(3)] public int? TimeoutMs { get; init; }
}

/// <summary>Run one browser action on the session's page; its result becomes a task event.</summary>
[GenerateSerializer, Alias("sg.RunAction")]
public sealed record RunAction(string EventId, string Channel, [property: Id(0)] BrowserAction Action)
    : SessionCommand(EventId, Channel);

/// <summary>
/// Run actions in order, stopping at the first that fails, as one mailbox entry (nothing else runs between them).
/// The outcome is collected with <see cref="ISessionGrain.AwaitScriptAsync"/> under <see cref="SessionCommand.EventId"/>,
/// not written to the task's event log.
/// </summary>
[GenerateSerializer, Alias("sg.RunScript")]
public sealed record RunScript(string EventId, string Channel, [property: Id(0)] IReadOnlyList<BrowserAction> Actions)
    : SessionCommand(EventId, Channel);

/// <summary>
/// Run the agent on the session's page. Its steps are recorded as task events; its result is the command's result
/// event (a session's <c>run_task</c>), or the task's output when the session was opened for it.
/// </summary>
[GenerateSerializer, Alias("sg.RunAgent")]
public sealed record RunAgent(string EventId, string Channel, [property: Id(0)] Agent.AgentSpec Spec)
    : SessionCommand(EventId, Channel)
{
    /// <summary>The result is collected with <see cref="ISessionGrain.AwaitScriptAsync"/> (like a script's), not written as an event.</summary>
    [Id(1)] public bool Awaited { get; init; }
}

/// <summary>Extract data matching a JSON schema from the current page, with the model.</summary>
[GenerateSerializer, Alias("sg.Extract")]
public sealed record Extract(string EventId, string Channel, [property: Id(0)] string Schema, [property: Id(1)] string? Prompt)
    : SessionCommand(EventId, Channel);

/// <summary>Close the session gracefully: its result event comes first, then the task ends <c>done</c>.</summary>
[GenerateSerializer, Alias("sg.CloseSession")]
public sealed record CloseSession(string EventId, string Channel) : SessionCommand(EventId, Channel);
