using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// Dismisses common cookie and consent banners before a vault login types: clicks a visible button or link labelled
/// "Accept all", "Accept", "I agree", "Allow all", "Got it" and the like (any case, a few languages), in the page or
/// its frames, within a short time budget. Finding none is not a failure.
/// </summary>
internal static partial class ConsentBanners
{
    /// <summary>At most this many banners (a banner and its follow-up) are clicked away.</summary>
    private const int MaxClicks = 3;

    private const int CandidatesPerRole = 5;

    private static readonly AriaRole[] Roles = [AriaRole.Button, AriaRole.Link];

    /// <summary>Clicks banners away for up to <paramref name="budgetMs"/>; returns the labels of what it clicked.</summary>
    public static async Task<IReadOnlyList<string>> DismissAsync(IPage page, int budgetMs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var clicked = new List<string>();
        while (clicked.Count < MaxClicks && Remaining() > 0)
        {
            if (await ClickOneAsync(page, Remaining()) is { } label)
            {
                clicked.Add(label);
                continue;
            }

            if (clicked.Count > 0)
            {
                break;
            }

            await Task.Delay(Math.Min(150, Math.Max(1, Remaining())), cancellationToken);
        }

        return clicked;

        int Remaining() => budgetMs - (int)clock.ElapsedMilliseconds;
    }

    private static async Task<string?> ClickOneAsync(IPage page, int timeoutMs)
    {
        foreach (var frame in page.Frames)
        {
            foreach (var role in Roles)
            {
                try
                {
                    var candidates = frame.GetByRole(role, new FrameGetByRoleOptions { NameRegex = Labels() });
                    var count = Math.Min(await candidates.CountAsync(), CandidatesPerRole);
                    for (var i = 0; i < count; i++)
                    {
                        var candidate = candidates.Nth(i);
                        if (await candidate.IsVisibleAsync())
                        {
                            var label = (await candidate.InnerTextAsync(new LocatorInnerTextOptions { Timeout = timeoutMs })).Trim();
                            await candidate.ClickAsync(new LocatorClickOptions { Timeout = Math.Max(1, timeoutMs) });
                            return label;
                        }
                    }
                }
                catch (Exception ex) when (ex is PlaywrightException or TimeoutException && !page.IsClosed)
                {
                    // A frame that went away, a banner that closed itself: nothing to click here.
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\W*(accept(\s+all)?(\s+cookies)?|accept\s+(and|&)\s+(continue|close)|allow(\s+all)?(\s+cookies)?|i\s+agree|agree(\s+and\s+continue)?|i\s+accept|got\s+it|alle\s+akzeptieren|akzeptieren|tout\s+accepter|accepter|aceptar(\s+todo)?|accetta(\s+tutto)?)\W*$", RegexOptions.IgnoreCase)]
    private static partial Regex Labels();
}
