using System.Text.Json;
using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The screencast behind a session's live view: Chromium's <c>Page.startScreencast</c> on the page it watches, through
/// a CDP session, every <c>Page.screencastFrame</c> acknowledged and the newest kept for the viewers' long-polls. It
/// runs only while someone watches: <see cref="WatchAsync"/> starts it (and moves it to another page), and
/// <see cref="StopIfUnwatchedAsync"/> stops it once nobody asked for a frame for a while. Frames arrive on
/// Playwright's threads, so what they touch is under a lock; everything else is called from the session grain.
/// </summary>
internal sealed class LiveScreencast(TimeProvider clock)
{
    /// <summary>JPEG quality and the largest frame Chromium sends (it scales the viewport down to fit).</summary>
    private const int Quality = 60;
    private const int MaxWidth = 1280;
    private const int MaxHeight = 1280;

    /// <summary>How long a frame's acknowledgement waits: Chromium sends the next frame only after it, so at most ~15 frames a second.</summary>
    private static readonly TimeSpan AckDelay = TimeSpan.FromMilliseconds(66);

    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private LiveFrame? _latest;
    private long _seq;
    private TaskCompletionSource _next = NewSignal();
    private ICDPSession? _cdp;
    private IPage? _page;
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

        if (_cdp is not null && ReferenceEquals(_page, page) && !page.IsClosed)
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
            var cdp = await page.Context.NewCDPSessionAsync(page);
            cdp.Event("Page.screencastFrame").OnEvent += (_, frame) => OnFrame(cdp, frame);
            lock (_gate)
            {
                _cdp = cdp;
                _page = page;
            }

            try
            {
                await cdp.SendAsync("Page.startScreencast", new Dictionary<string, object>
                {
                    ["format"] = "jpeg",
                    ["quality"] = Quality,
                    ["maxWidth"] = MaxWidth,
                    ["maxHeight"] = MaxHeight,
                });
            }
            catch (PlaywrightException)
            {
                await StopAsync();
                throw;
            }
        }
        finally
        {
            _starting = null;
        }
    }

    private async Task StopAsync()
    {
        ICDPSession? cdp;
        lock (_gate)
        {
            cdp = _cdp;
            _cdp = null;
            _page = null;
        }

        if (cdp is null)
        {
            return;
        }

        try
        {
            // Detaching ends the screencast with the CDP session.
            await cdp.DetachAsync().WaitAsync(DetachTimeout);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // The page or its browser is gone, and the screencast with it.
        }
    }

    private void OnFrame(ICDPSession cdp, JsonElement? message)
    {
        if (message is not { } frame
            || !frame.TryGetProperty("data", out var data) || !frame.TryGetProperty("sessionId", out var ackId)
            || !frame.TryGetProperty("metadata", out var metadata))
        {
            return;
        }

        _ = AckAsync(cdp, ackId.GetInt32());
        var width = metadata.TryGetProperty("deviceWidth", out var w) ? (int)Math.Round(w.GetDouble()) : 0;
        var height = metadata.TryGetProperty("deviceHeight", out var h) ? (int)Math.Round(h.GetDouble()) : 0;
        var jpeg = data.GetBytesFromBase64();
        lock (_gate)
        {
            // A frame of a screencast that was stopped (or moved to another page) meanwhile is not shown.
            if (!ReferenceEquals(cdp, _cdp))
            {
                return;
            }

            _latest = new LiveFrame(++_seq, jpeg, width, height);
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

    private static async Task AckAsync(ICDPSession cdp, int ackId)
    {
        await Task.Delay(AckDelay);
        try
        {
            await cdp.SendAsync("Page.screencastFrameAck", new Dictionary<string, object> { ["sessionId"] = ackId });
        }
        catch (PlaywrightException)
        {
            // The screencast was stopped, or its page went away: nothing is waiting for this acknowledgement.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
