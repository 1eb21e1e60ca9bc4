using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// A session's browser context, in a shared Chromium process or in a dedicated one, with its active page. Disposing
/// closes the context and gives its place back to the process; a dedicated process closes with its context.
/// </summary>
public sealed class BrowserLease : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private readonly ChromiumProcess _process;
    private readonly Func<ValueTask>? _afterClose;
    private int _disposed;
    private PageWatch? _watch;

    /// <param name="afterClose">What follows the context's close (a dedicated process: its end).</param>
    internal BrowserLease(string sessionId, ChromiumProcess process, IBrowserContext context, IPage page, Func<ValueTask>? afterClose = null)
    {
        SessionId = sessionId;
        _process = process;
        Context = context;
        Page = page;
        _afterClose = afterClose;
    }

    public string SessionId { get; }

    /// <summary>A download watch attached to a page while its browser waited in the pool, until the session's watch takes it.</summary>
    internal PageWatch? Watch
    {
        init => _watch = value;
    }

    /// <summary>The watch attached ahead to <paramref name="page"/>, once (null when none was).</summary>
    internal PageWatch? TakeWatch(IPage page) =>
        Volatile.Read(ref _watch) is { } ready && ready.Page == page && Interlocked.CompareExchange(ref _watch, null, ready) == ready ? ready : null;

    public IBrowserContext Context { get; }
    public IPage Page { get; private set; }

    /// <summary>The page actions run on; a new one when the page was closed (by a script, say).</summary>
    public async Task<IPage> GetPageAsync()
    {
        if (Page.IsClosed)
        {
            Page = Context.Pages.LastOrDefault(p => !p.IsClosed) ?? await Context.NewPageAsync();
        }

        return Page;
    }

    /// <summary>
    /// Stops every top-level navigation <paramref name="allows"/> refuses, including ones the page starts itself. The
    /// navigation is answered 204 No Content, so the browser stays on the page it was on (an abort would leave an error page).
    /// </summary>
    public Task AllowOnlyAsync(Func<string, bool> allows) =>
        Context.RouteAsync("**/*", route =>
            route.Request.IsNavigationRequest && route.Request.Frame.ParentFrame is null && !allows(route.Request.Url)
                ? route.FulfillAsync(new RouteFulfillOptions { Status = 204 })
                : route.FallbackAsync());

    /// <summary>The context's cookies and localStorage as Playwright's storage state JSON; null when the browser is gone or does not answer in time.</summary>
    public async Task<string?> CaptureStateAsync(TimeSpan timeout)
    {
        try
        {
            return await Context.StorageStateAsync().WaitAsync(timeout);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Closes the context and gives its place back. A dedicated browser closes with its context and takes a while to
    /// exit: its session does not wait for that, and the host reaps the process (and its profile folder) behind it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _process.Detach(SessionId);
        _process.Release();
        if (_afterClose is not { } afterClose)
        {
            await CloseContextAsync();
            return;
        }

        _ = Task.Run(async () =>
        {
            await CloseContextAsync();
            await afterClose();
        });
    }

    private async Task CloseContextAsync()
    {
        try
        {
            await Context.CloseAsync().WaitAsync(CloseTimeout);
        }
        catch (Exception)
        {
            // The context is gone with its browser, or did not close in time; its process is reaped with the host.
        }
    }
}
