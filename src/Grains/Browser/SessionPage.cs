using Microsoft.Playwright;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The active page of a session's browser context while the session has one: what its actions, its agent, its
/// screenshots and its live view work on. Work that asks for the page after the session ended is cancelled
/// (<see cref="OperationCanceledException"/>), so it ends as the session's other work does.
/// </summary>
public sealed class SessionPage(Func<BrowserLease?> lease)
{
    /// <summary>The page actions run on (a new one when a script closed the last); cancelled once the session ended.</summary>
    public Task<IPage> GetAsync() =>
        lease() is { } current ? current.GetPageAsync() : throw new OperationCanceledException("the session ended");

    /// <summary>The active page's URL; null when the session has no browser or its page is closed.</summary>
    public string? Url => lease() is { } current && !current.Page.IsClosed ? current.Page.Url : null;

    /// <summary>
    /// The active page's title, read within <paramref name="wait"/> (a page in the middle of a navigation may not answer
    /// at once); null when the session has no page, or it did not answer in time.
    /// </summary>
    public async Task<string?> TitleAsync(TimeSpan wait)
    {
        if (lease() is not { } current || current.Page.IsClosed)
        {
            return null;
        }

        try
        {
            return await current.Page.TitleAsync().WaitAsync(wait);
        }
        catch (Exception ex) when (ex is TimeoutException || IsBrowserFailure(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="ex"/> is how the browser reports that the page or the session went away (or an action on
    /// it failed): work that meets it reports itself interrupted rather than failing the session.
    /// </summary>
    public static bool IsBrowserFailure(Exception ex) => ex is PlaywrightException or OperationCanceledException;
}
