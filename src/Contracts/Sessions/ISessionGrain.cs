namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// One live browser session (key: session id, which is also its task id). It owns a browser context on the silo
/// that activated it and an ordered mailbox. Close and cancel interleave with a running action so they can interrupt it.
/// </summary>
[Alias("sg.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Creates the session's task record and opens a browser context for it.</summary>
    [Alias("Open")]
    Task OpenAsync(SessionSpec spec);

    [Alias("Enqueue")]
    Task<EnqueueResult> EnqueueAsync(SessionCommand command);

    /// <summary>Cancels the session: interrupts the running action, closes the context, ends the task <c>cancelled</c>.</summary>
    [Alias("Cancel")]
    Task CancelAsync();

    /// <summary>
    /// Called by the browser host when the session's browser goes away: its Chromium process died, or the host is
    /// stopping. Ends the task <c>failed</c> with <paramref name="detail"/>; <paramref name="endReason"/> is one of <see cref="SessionEndReasons"/>.
    /// </summary>
    [Alias("BrowserGone")]
    Task BrowserGoneAsync(string endReason, string detail);
}
