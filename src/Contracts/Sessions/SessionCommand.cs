using SessionGrid.Contracts.Actions;

namespace SessionGrid.Contracts.Sessions;

/// <summary>A command in a session's mailbox. <see cref="EventId"/> and <see cref="Channel"/> label its result event.</summary>
[GenerateSerializer, Alias("sg.SessionCommand")]
public abstract record SessionCommand([property: Id(0)] string EventId, [property: Id(1)] string Channel);

/// <summary>Run one browser action on the session's page.</summary>
[GenerateSerializer, Alias("sg.RunAction")]
public sealed record RunAction(string EventId, string Channel, [property: Id(0)] BrowserAction Action)
    : SessionCommand(EventId, Channel);

/// <summary>Close the session gracefully: its result event comes first, then the task ends <c>done</c>.</summary>
[GenerateSerializer, Alias("sg.CloseSession")]
public sealed record CloseSession(string EventId, string Channel) : SessionCommand(EventId, Channel);
