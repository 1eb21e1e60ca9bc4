using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// A session's browser context, in a shared Chromium process or in a dedicated one, with its active page. Disposing
/// closes the context and gives its place back to the process; a dedicated process ends instead (with its context).
/// </summary>
public sealed class BrowserLease : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private readonly ChromiumProcess _process;
    private readonly Func<ValueTask>? _end;
    private int _disposed;
    private PageWatch? _watch;

    /// <param name="end">What ends the context instead of closing it (a dedicated process: the process's end).</param>
    internal BrowserLease(string sessionId, ChromiumProcess process, IBrowserContext context, IPage page, Func<ValueTask>? end = null)
    {
        SessionId = sessionId;
        _process = process;
        Context = context;
        Page = page;
        _end = end;
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
    /// Closes the context and gives its place back. A dedicated browser ends with its context: its session does not wait
    /// for that, and the host ends the process (and deletes its profile folder) behind it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _process.Detach(SessionId);
        _process.Release();
        if (_end is not { } end)
        {
            await CloseContextAsync();
            return;
        }

        _ = Task.Run(async () => await end());
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
