using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using SessionGrid.Grains.Downloads;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// Watches every page of a session's context for downloads (contexts accept them: <see cref="DeviceProfiles"/>). Each
/// page gets a CDP session of its own for Chromium's download progress, so a download that passes the session's limits
/// is cancelled while it runs (<c>Browser.cancelDownload</c>) rather than after it filled the disk; Playwright's
/// download event then says how it ended, and the <see cref="SessionDownloads"/> keeps it or reports why not. Events
/// arrive on Playwright's threads: nothing here runs in a grain turn.
/// </summary>
internal sealed class DownloadWatch(BrowserLease lease, SessionDownloads downloads)
{
    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Downloads cancelled for a limit, by url and suggested name (what Playwright's download carries too): why.</summary>
    private readonly ConcurrentDictionary<string, string> _refused = new();
    private readonly ConcurrentDictionary<string, (string Url, string Name)> _begun = new();
    private readonly ConcurrentBag<ICDPSession> _cdp = [];
    private readonly List<Task> _handling = [];
    private volatile bool _stopped;

    private IBrowserContext Context => lease.Context;

    public async Task StartAsync()
    {
        Context.Page += OnPage;
        foreach (var page in Context.Pages)
        {
            await WatchAsync(page);
        }
    }

    /// <summary>
    /// Stops watching: waits up to <paramref name="wait"/> for downloads that are still landing (a download still
    /// running then is cancelled by the context's close), and detaches from the pages without waiting: nothing lands
    /// once stopped, and the context closes next (which ends the CDP sessions anyway), so a session's end does not
    /// wait a round trip to its browser for each page (issue 24).
    /// </summary>
    public async Task StopAsync(TimeSpan wait)
    {
        Context.Page -= OnPage;
        Task[] handling;
        lock (_handling)
        {
            handling = [.. _handling];
        }

        await Task.WhenAll(handling).WaitAsync(wait).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopped = true;
        _ = Task.WhenAll(_cdp.Select(cdp => cdp.DetachAsync().WaitAsync(DetachTimeout).ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private void OnPage(object? sender, IPage page) => Track(WatchAsync(page));

    private async Task WatchAsync(IPage page)
    {
        page.Download += OnDownload;
        try
        {
            // A warm browser's page was attached while it waited (PageWatch): nothing downloaded there before now, so
            // listening from now on misses nothing. Any other page is listened to before its Page domain is on.
            if (lease.TakeWatch(page) is { } ready)
            {
                Listen(ready.Cdp, ready.ContextId);
            }
            else
            {
                await PageWatch.AttachAsync(Context, page, Listen);
            }
        }
        catch (PlaywrightException)
        {
            // The page closed (or its browser went) before it could be watched: it downloads nothing more.
        }
    }

    private void Listen(ICDPSession cdp, string? contextId)
    {
        _cdp.Add(cdp);
        cdp.Event("Page.downloadWillBegin").OnEvent += (_, e) => OnBegin(e);
        cdp.Event("Page.downloadProgress").OnEvent += (_, e) => OnProgress(cdp, contextId, e);
    }

    private void OnBegin(JsonElement? message)
    {
        if (message is { } begin && Text(begin, "guid") is { } guid)
        {
            var begun = _begun[guid] = (Text(begin, "url") ?? "", Text(begin, "suggestedFilename") ?? "");
            downloads.Began(Key(begun.Url, begun.Name));
        }
    }

    /// <summary>A running download's progress: cancelled as soon as it (or its announced size) passes a limit.</summary>
    private void OnProgress(ICDPSession cdp, string? contextId, JsonElement? message)
    {
        if (message is not { } progress || Text(progress, "guid") is not { } guid || Text(progress, "state") != "inProgress"
            || !_begun.TryGetValue(guid, out var begun))
        {
            return;
        }

        var received = Number(progress, "receivedBytes");
        var total = Number(progress, "totalBytes");
        if (downloads.Refusal(Math.Max(received, total)) is not { } reason || !_refused.TryAdd(Key(begun.Url, begun.Name), reason))
        {
            return;
        }

        var cancel = new Dictionary<string, object> { ["guid"] = guid };
        if (contextId is not null)
        {
            cancel["browserContextId"] = contextId;
        }

        Track(Ignore(cdp.SendAsync("Browser.cancelDownload", cancel)));
    }

    private void OnDownload(object? sender, IDownload download) => Track(LandAsync(download));

    private async Task LandAsync(IDownload download)
    {
        var key = Key(download.Url, download.SuggestedFilename);
        downloads.Began(key);
        try
        {
            var failure = await download.FailureAsync();
            if (_refused.TryRemove(key, out var reason))
            {
                await downloads.RefusedAsync(download.SuggestedFilename, reason);
            }
            else if (failure is not null)
            {
                await downloads.FailedAsync(download.SuggestedFilename, failure);
            }
            else if (!_stopped && await download.PathAsync() is { } path)
            {
                await downloads.LandedAsync(download.SuggestedFilename, path);
            }
        }
        catch (PlaywrightException ex)
        {
            await downloads.FailedAsync(download.SuggestedFilename, PlaywrightErrors.FirstLine(ex.Message));
        }
        finally
        {
            downloads.Ended(key);
        }
    }

    private void Track(Task task)
    {
        lock (_handling)
        {
            _handling.RemoveAll(t => t.IsCompleted);
            _handling.Add(task);
        }
    }

    private static async Task Ignore(Task<JsonElement?> call)
    {
        try
        {
            await call;
        }
        catch (PlaywrightException)
        {
            // The download ended (or its page went) before the cancel arrived.
        }
    }

    private static string Key(string url, string name) => url + "\n" + name;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? (long)value.GetDouble() : 0;
}
