using SessionGrid.Contracts.Actions;

namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// A command in a session's mailbox. <see cref="EventId"/> and <see cref="Channel"/> label its result: a task event
/// when it was put in with <see cref="ISessionGrain.EnqueueAsync"/>, an outcome collected with
/// <see cref="ISessionGrain.AwaitResultAsync"/> when it was put in with <see cref="ISessionGrain.SubmitAsync"/>.
/// </summary>
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
/// Only <see cref="ISessionGrain.SubmitAsync"/> takes it: its outcome is every action's result, not one event.
/// </summary>
[GenerateSerializer, Alias("sg.RunScript")]
public sealed record RunScript(string EventId, string Channel, [property: Id(0)] IReadOnlyList<BrowserAction> Actions)
    : SessionCommand(EventId, Channel);

/// <summary>
/// Run the agent on the session's page. Its steps are recorded as task events; its result is the command's result
/// (a session's <c>run_task</c>), or the task's output when the session was opened for it.
/// </summary>
[GenerateSerializer, Alias("sg.RunAgent")]
public sealed record RunAgent(string EventId, string Channel, [property: Id(0)] Agent.AgentSpec Spec)
    : SessionCommand(EventId, Channel);

/// <summary>Extract data matching a JSON schema from the current page, with the model.</summary>
[GenerateSerializer, Alias("sg.Extract")]
public sealed record Extract(string EventId, string Channel, [property: Id(0)] string Schema, [property: Id(1)] string? Prompt)
    : SessionCommand(EventId, Channel);

/// <summary>
/// Observe the page as the agent does before each step: its URL, title, numbered interactive elements (each reachable
/// afterwards by <see cref="PageElements.Selector"/>) and visible text. Its result's value is the observation as JSON
/// (<c>{url, title, elements: [{index, role, name, text}], text, description}</c>, description being the text the
/// model reads). Queued like any command, so it sees the page as the commands before it left it.
/// </summary>
[GenerateSerializer, Alias("sg.ObservePage")]
public sealed record ObservePage(string EventId, string Channel) : SessionCommand(EventId, Channel)
{
    /// <summary>The action name of an observation's result.</summary>
    public const string ResultAction = "snapshot";
}

/// <summary>Close the session gracefully: its result event comes first, then the task ends <c>done</c>.</summary>
[GenerateSerializer, Alias("sg.CloseSession")]
public sealed record CloseSession(string EventId, string Channel) : SessionCommand(EventId, Channel)
{
    /// <summary>The action name of a close's result (<c>{"code": 200, "output": true}</c> on the Task API's wire).</summary>
    public const string ResultAction = "close";
}
