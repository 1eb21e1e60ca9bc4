using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The screencast behind a session's live view: a <see cref="PageScreencast"/> of the page it watches, the newest
/// frame kept for the viewers' long-polls. It runs only while someone watches: <see cref="WatchAsync"/> starts it (and
/// moves it to another page), and <see cref="StopIfUnwatchedAsync"/> stops it once nobody asked for a frame for a
/// while. Frames arrive on Playwright's threads, so what they touch is under a lock; everything else is called from
/// the session grain.
/// </summary>
internal sealed class LiveScreencast(TimeProvider clock)
{
    /// <summary>
    /// JPEG quality 60, frames at most 1280 px (Chromium scales the viewport down to fit), each acknowledged after 66 ms:
    /// Chromium sends the next frame only after it, so at most ~15 frames a second.
    /// </summary>
    private static readonly ScreencastSettings Settings = new(60, 1280, 1280, TimeSpan.FromMilliseconds(66));

    private readonly Lock _gate = new();
    private LiveFrame? _latest;
    private long _seq;
    private TaskCompletionSource _next = NewSignal();
    private PageScreencast? _screencast;
    private Task? _starting;
    private int _waiting;
    private long _lastWatched;

    /// <summary>
    /// Someone watches the session's active page: <see cref="WatchAsync(IPage)"/> on it. Whether this call (re)started
    /// the screencast, and why it could not run when it could not (the page went away: the next request starts again).
    /// </summary>
    public async Task<(bool Started, string? Problem)> WatchAsync(SessionPage page)
    {
        try
        {
            return (await WatchAsync(await page.GetAsync()), null);
        }
        catch (Exception ex) when (SessionPage.IsBrowserFailure(ex))
        {
            return (false, ex is PlaywrightException playwright ? Actions.ActionRunner.Describe(playwright) : ex.Message);
        }
    }

    /// <summary>
    /// Someone watches <paramref name="page"/>: starts the screencast on it unless it already runs there. Whether this
    /// call (re)started it.
    /// </summary>
    public async Task<bool> WatchAsync(IPage page)
    {
        _lastWatched = clock.GetTimestamp();
        if (_starting is { } starting)
        {
            await starting;
            return false;
        }

        if (_screencast is { } running && ReferenceEquals(running.Page, page) && !page.IsClosed)
        {
            return false;
        }

        var start = StartAsync(page);
        _starting = start.IsCompleted ? null : start;
        await start;
        return true;
    }

    /// <summary>The newest frame after <paramref name="afterSeq"/>, waiting up to <paramref name="maxWait"/> for one; null when none came.</summary>
    public async Task<LiveFrame?> NextAsync(long afterSeq, TimeSpan maxWait)
    {
        Task next;
        lock (_gate)
        {
            if (_latest is { } frame && frame.Seq > afterSeq)
            {
                return frame;
            }

            next = _next.Task;
        }

        _waiting++;
        try
        {
            await next.WaitAsync(maxWait);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _waiting--;
            _lastWatched = clock.GetTimestamp();
        }

        lock (_gate)
        {
            return _latest is { } frame && frame.Seq > afterSeq ? frame : null;
        }
    }

    /// <summary>Stops the screencast when nobody waits for a frame and nobody asked for <paramref name="idle"/>; whether it is stopped.</summary>
    public async Task<bool> StopIfUnwatchedAsync(TimeSpan idle)
    {
        if (_waiting > 0 || _starting is not null || clock.GetElapsedTime(_lastWatched) < idle)
        {
            return false;
        }

        await StopAsync();
        return true;
    }

    /// <summary>Wakes every waiting request (they find the session ended) and stops the screencast.</summary>
    public async Task EndAsync()
    {
        Signal();
        await StopAsync();
    }

    private async Task StartAsync(IPage page)
    {
        try
        {
            await StopAsync();
            var screencast = await PageScreencast.StartAsync(page, Settings, OnFrame);
            lock (_gate)
            {
                _screencast = screencast;
            }
        }
        finally
        {
            _starting = null;
        }
    }

    private async Task StopAsync()
    {
        PageScreencast? screencast;
        lock (_gate)
        {
            screencast = _screencast;
            _screencast = null;
        }

        if (screencast is not null)
        {
            await screencast.DisposeAsync();
        }
    }

    private void OnFrame(PageScreencast screencast, ScreencastFrame frame)
    {
        lock (_gate)
        {
            // A frame of a screencast that was stopped (or moved to another page) meanwhile is not shown.
            if (!ReferenceEquals(screencast, _screencast) && _screencast is not null)
            {
                return;
            }

            _latest = new LiveFrame(++_seq, frame.Jpeg, frame.Width, frame.Height);
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            released = _next;
            _next = NewSignal();
        }

        released.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
