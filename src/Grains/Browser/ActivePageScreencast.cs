using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// A screencast that follows a session's active page: the newest of its context's open pages. A page that opens (a new
/// tab, a popup, the page that replaces a closed one) takes the screencast over, and when it closes the screencast goes
/// back to the newest page still open; a screencast that could not start (its page was between documents) starts again
/// when the page's next document has loaded. Frames go to the callback on Playwright's threads; moving between pages is
/// one move at a time, beside the session's work.
/// </summary>
internal sealed class ActivePageScreencast(BrowserLease lease, ScreencastSettings settings, Action<ScreencastFrame> onFrame) : IAsyncDisposable
{
    private readonly SemaphoreSlim _moving = new(1, 1);
    private PageScreencast? _current;
    private volatile bool _stopped;

    /// <summary>Why the screencast last could not start on a page; null once it runs.</summary>
    public string? Problem { get; private set; }

    private IBrowserContext Context => lease.Context;

    /// <summary>Starts on the newest open page; false when there is none the screencast could start on.</summary>
    public async Task<bool> StartAsync()
    {
        Context.Page += OnPage;
        foreach (var page in Context.Pages)
        {
            Watch(page);
        }

        return await FollowAsync(Newest());
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        Context.Page -= OnPage;
        await _moving.WaitAsync();
        try
        {
            if (_current is { } current)
            {
                _current = null;
                await current.DisposeAsync();
            }
        }
        finally
        {
            _moving.Release();
        }
    }

    private void OnPage(object? sender, IPage page)
    {
        Watch(page);
        _ = FollowAsync(page);
    }

    private void Watch(IPage page)
    {
        page.Close += OnClose;
        page.DOMContentLoaded += OnLoaded;
    }

    /// <summary>A page loaded a document: when no screencast runs (its start failed), it starts now.</summary>
    private void OnLoaded(object? sender, IPage page)
    {
        if (_current is null && !_stopped)
        {
            _ = FollowAsync(Newest());
        }
    }

    private void OnClose(object? sender, IPage page)
    {
        if (ReferenceEquals(_current?.Page, page))
        {
            _ = FollowAsync(Newest());
        }
    }

    private IPage? Newest() => Context.Pages.LastOrDefault(p => !p.IsClosed);

    private async Task<bool> FollowAsync(IPage? page)
    {
        await _moving.WaitAsync();
        try
        {
            if (_stopped || page is null || page.IsClosed || ReferenceEquals(_current?.Page, page))
            {
                return _current is not null;
            }

            if (_current is { } previous)
            {
                _current = null;
                await previous.DisposeAsync();
            }

            _current = await PageScreencast.StartAsync(page, settings, (_, frame) => onFrame(frame));
            Problem = null;
            return true;
        }
        catch (PlaywrightException ex)
        {
            // The page closed (or its browser went, or it was between documents) as the screencast moved to it: it starts
            // again when the page has loaded its next document, or on a newer page when one opens.
            Problem = PlaywrightErrors.FirstLine(ex.Message);
            return false;
        }
        finally
        {
            _moving.Release();
        }
    }
}
