using System.Text.Json;
using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>One frame of a page's screencast: the JPEG and the page's viewport in CSS pixels.</summary>
internal sealed record ScreencastFrame(byte[] Jpeg, int Width, int Height);

/// <summary>
/// Chromium's screencast of one page (<c>Page.startScreencast</c> through a CDP session of its own, JPEG frames at
/// most <see cref="ScreencastSettings.MaxWidth"/> × <see cref="ScreencastSettings.MaxHeight"/>): Chromium sends a frame
/// when the page changed, and the next only after this one was acknowledged, which waits
/// <see cref="ScreencastSettings.AckDelay"/> (so at most about one frame per delay). Each frame goes to the callback on
/// Playwright's thread. Disposing detaches the CDP session, which ends the screencast; a page or browser that went away
/// ended it already. Several screencasts of one page (the live view's, the recording's) run side by side.
/// </summary>
internal sealed class PageScreencast : IAsyncDisposable
{
    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(2);

    private readonly ICDPSession _cdp;
    private readonly ScreencastSettings _settings;
    private readonly Action<PageScreencast, ScreencastFrame> _onFrame;
    private volatile bool _stopped;

    private PageScreencast(IPage page, ICDPSession cdp, ScreencastSettings settings, Action<PageScreencast, ScreencastFrame> onFrame)
    {
        Page = page;
        _cdp = cdp;
        _settings = settings;
        _onFrame = onFrame;
    }

    public IPage Page { get; }

    /// <summary>Starts the screencast of <paramref name="page"/>; throws <see cref="PlaywrightException"/> when the page or its browser is gone.</summary>
    public static async Task<PageScreencast> StartAsync(IPage page, ScreencastSettings settings, Action<PageScreencast, ScreencastFrame> onFrame)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var screencast = new PageScreencast(page, cdp, settings, onFrame);
        cdp.Event("Page.screencastFrame").OnEvent += (_, frame) => screencast.OnFrame(frame);
        try
        {
            await cdp.SendAsync("Page.startScreencast", new Dictionary<string, object>
            {
                ["format"] = "jpeg",
                ["quality"] = settings.Quality,
                ["maxWidth"] = settings.MaxWidth,
                ["maxHeight"] = settings.MaxHeight,
            });
        }
        catch (PlaywrightException)
        {
            await screencast.DisposeAsync();
            throw;
        }

        return screencast;
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        try
        {
            await _cdp.DetachAsync().WaitAsync(DetachTimeout);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // The page or its browser is gone, and the screencast with it.
        }
    }

    private void OnFrame(JsonElement? message)
    {
        if (_stopped || message is not { } frame
            || !frame.TryGetProperty("data", out var data) || !frame.TryGetProperty("sessionId", out var ackId)
            || !frame.TryGetProperty("metadata", out var metadata))
        {
            return;
        }

        _ = AckAsync(ackId.GetInt32());
        var width = metadata.TryGetProperty("deviceWidth", out var w) ? (int)Math.Round(w.GetDouble()) : 0;
        var height = metadata.TryGetProperty("deviceHeight", out var h) ? (int)Math.Round(h.GetDouble()) : 0;
        _onFrame(this, new ScreencastFrame(data.GetBytesFromBase64(), width, height));
    }

    private async Task AckAsync(int ackId)
    {
        await Task.Delay(_settings.AckDelay);
        try
        {
            await _cdp.SendAsync("Page.screencastFrameAck", new Dictionary<string, object> { ["sessionId"] = ackId });
        }
        catch (PlaywrightException)
        {
            // The screencast was stopped, or its page went away: nothing is waiting for this acknowledgement.
        }
    }
}

/// <summary>How a screencast's frames come: JPEG quality, the largest frame, and how long each frame's acknowledgement waits.</summary>
internal sealed record ScreencastSettings(int Quality, int MaxWidth, int MaxHeight, TimeSpan AckDelay);
