using Orleans.Concurrency;

namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// One live browser session (key: session id, which is also its task id). It owns a browser context on the silo
/// that activated it and an ordered mailbox. Close and cancel interleave with a running action so they can interrupt it.
/// </summary>
[Alias("sg.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the session's task record and opens a browser context for it. Refused, with nothing created, when its
    /// profile does not exist (<see cref="SessionRefusal.NotFound"/>) or another running session writes to it
    /// (<see cref="SessionRefusal.Conflict"/>); a browser that cannot open is not a refusal but a failed task.
    /// </summary>
    [Alias("Open")]
    Task<SessionReply> OpenAsync(SessionSpec spec);

    /// <summary>
    /// Puts a command into the mailbox after checking it fits the session (timeouts within limits, uploaded files
    /// present, points inside the viewport), so a refused command changes nothing. Its result becomes a task event
    /// carrying the command's <see cref="SessionCommand.EventId"/>. A <see cref="RunScript"/> is refused: submit it.
    /// </summary>
    [Alias("Enqueue")]
    Task<SessionReply> EnqueueAsync(SessionCommand command);

    /// <summary>
    /// Puts a command into the mailbox as <see cref="EnqueueAsync"/> does, but its outcome is not written to the task's
    /// event log: the caller collects it with <see cref="AwaitResultAsync"/> under the command's <see cref="SessionCommand.EventId"/>.
    /// </summary>
    [Alias("Submit")]
    Task<SessionReply> SubmitAsync(SessionCommand command);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for a submitted command to finish; null while it still runs. A finished
    /// outcome is handed out once. Kept short (a long-poll), so no grain call outlives its timeout.
    /// </summary>
    [Alias("AwaitResult"), AlwaysInterleave]
    Task<ScriptOutcome?> AwaitResultAsync(string commandId, TimeSpan maxWait);

    /// <summary>Stores a file for later <c>uploadFile</c> actions, replacing one of the same name.</summary>
    [Alias("AddFile")]
    Task<FileReply> AddFileAsync(SessionFile file);

    /// <summary>Answers a tool call the agent is waiting on; refused when no call with that id is waiting.</summary>
    [Alias("AnswerToolCall")]
    Task<SessionReply> AnswerToolCallAsync(string toolCallId, Agent.ToolAnswer answer);

    [Alias("Describe"), AlwaysInterleave]
    Task<SessionInfo> DescribeAsync();

    /// <summary>
    /// <see cref="DescribeAsync"/> with the active page's title (<see cref="SessionInfo.Title"/>), which asks the page:
    /// for a reader that shows the session (an MCP resource), not for every command's answer.
    /// </summary>
    [Alias("DescribePage"), AlwaysInterleave]
    Task<SessionInfo> DescribePageAsync();

    /// <summary>Closes the session now, interrupting a running action; the task ends <c>done</c> (reason <c>closed</c>).</summary>
    [Alias("Close")]
    Task CloseAsync();

    /// <summary>Cancels the session: interrupts the running action, closes the context, ends the task <c>cancelled</c>.</summary>
    [Alias("Cancel")]
    Task CancelAsync();

    /// <summary>
    /// Called by the browser host when the session's browser goes away: its Chromium process died, or the host is
    /// stopping. Ends the task <c>failed</c> with <paramref name="detail"/>; <paramref name="endReason"/> is one of <see cref="SessionEndReasons"/>.
    /// </summary>
    [Alias("BrowserGone")]
    Task BrowserGoneAsync(string endReason, string detail);

    /// <summary>
    /// Called by a draining node: a profile-backed session open here gives its browser up (its profile saved and
    /// released, its restore record kept) and deactivates, so that its next call (<see cref="ResumeAsync"/>) opens it
    /// on another node. Without <paramref name="force"/> only when no command runs or waits; with it, the running one
    /// is interrupted (its result says so). False when the session is not open here or cannot be restored elsewhere.
    /// </summary>
    [Alias("HandOver")]
    Task<bool> HandOverAsync(bool force);

    /// <summary>
    /// Brings a session that was handed over (or whose node was lost) back on this activation's node at once, as its
    /// next use would; answers whether it is open.
    /// </summary>
    [Alias("Resume")]
    Task<SessionInfo> ResumeAsync();

    /// <summary>
    /// Whether <paramref name="token"/> opens this session's live view: accepted while the session is opening or open
    /// and the token is its own (compared in constant time); refused <c>Forbidden</c> for another token, <c>Closed</c>
    /// or <c>NotOpenHere</c> when the session is not live on this host. Starts nothing.
    /// </summary>
    [Alias("CheckLiveToken"), AlwaysInterleave]
    Task<SessionReply> CheckLiveTokenAsync(string token);

    /// <summary>
    /// A long-poll for the live view: the newest frame whose <see cref="LiveFrame.Seq"/> is after
    /// <paramref name="afterSeq"/>, waiting up to <paramref name="maxWait"/> for one (the frame is null when none came).
    /// The first request starts the screencast of the session's active page; it stops when nobody asked for a while.
    /// Refused as <see cref="CheckLiveTokenAsync"/> refuses.
    /// </summary>
    [Alias("LiveFrame"), AlwaysInterleave]
    Task<LiveFrameReply> LiveFrameAsync(string token, long afterSeq, TimeSpan maxWait);

    /// <summary>
    /// A viewer's mouse or keyboard input into the session's active page (it counts as activity for the idle timer).
    /// Refused as <see cref="CheckLiveTokenAsync"/> refuses, and <c>Invalid</c> when the page would not take it.
    /// </summary>
    [Alias("LiveInput")]
    Task<SessionReply> LiveInputAsync(string token, LiveInput input);

    /// <summary>
    /// Whether <paramref name="token"/> opens this session's CDP endpoint: accepted while the session is open with a
    /// browser of its own (<see cref="SessionIsolation.Dedicated"/>) and the token is its CDP token (compared in constant
    /// time), with the address its node relays CDP connections at. Refused <c>Invalid</c> for a session in a shared
    /// browser (whatever the token), <c>Forbidden</c> for another token, <c>Closed</c> or <c>NotOpenHere</c> when the
    /// session is not live on this host or its browser is still opening. Starts nothing.
    /// </summary>
    [Alias("OpenCdp"), AlwaysInterleave]
    Task<CdpAccess> OpenCdpAsync(string token);

    /// <summary>
    /// A CDP client sent commands to the session's browser: activity for the idle timer. Refused as
    /// <see cref="OpenCdpAsync"/> refuses, which tells a proxy that the session ended.
    /// </summary>
    [Alias("CdpActivity"), AlwaysInterleave]
    Task<SessionReply> CdpActivityAsync(string token);
}

/// <summary>Whether a file was stored, and its description when it was.</summary>
[GenerateSerializer, Alias("sg.FileReply")]
public sealed record FileReply([property: Id(0)] SessionReply Reply, [property: Id(1)] StoredFileInfo? File);
