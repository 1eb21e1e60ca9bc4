using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// What <see cref="DownloadWatch"/> needs of a page: a CDP session of its own with the Page domain on (download
/// progress events), and its browser context's id (to cancel a download). A warm dedicated browser's page gets it while
/// the browser waits in the pool, so a session's open does not wait for those round trips (issue 24): nothing can
/// download there before a session takes the browser and the watch listens.
/// </summary>
internal sealed record PageWatch(IPage Page, ICDPSession Cdp, string? ContextId)
{
    /// <summary>
    /// Attaches to <paramref name="page"/>, <paramref name="listen"/> hearing its events before the Page domain is on;
    /// throws <see cref="PlaywrightException"/> when the page or its browser went.
    /// </summary>
    public static async Task<PageWatch> AttachAsync(IBrowserContext context, IPage page, Action<ICDPSession, string?>? listen = null)
    {
        var cdp = await context.NewCDPSessionAsync(page);
        var target = await cdp.SendAsync("Target.getTargetInfo");
        var contextId = target?.GetProperty("targetInfo").GetProperty("browserContextId").GetString();
        listen?.Invoke(cdp, contextId);
        await cdp.SendAsync("Page.enable");
        return new PageWatch(page, cdp, contextId);
    }

    /// <summary>A warm dedicated browser's page's watch; null when it has no page yet or the attach failed (the session's watch attaches then).</summary>
    public static async Task<PageWatch?> AttachAsync(IBrowserContext context)
    {
        if (context.Pages.FirstOrDefault(p => !p.IsClosed) is not { } page)
        {
            return null;
        }

        try
        {
            return await AttachAsync(context, page);
        }
        catch (PlaywrightException)
        {
            return null;
        }
    }
}
