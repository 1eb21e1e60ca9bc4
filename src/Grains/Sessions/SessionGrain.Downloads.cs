using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Downloads;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The session's downloads: every page of its context is watched from the moment its browser opens (the watch and the
/// files it keeps live beside the grain, on Playwright's threads), and an ending session waits a little for the
/// downloads still landing before its context closes.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>How long an ending session waits for downloads still landing; its context's close cancels the ones still running.</summary>
    private static readonly TimeSpan DownloadsWaitOnEnd = TimeSpan.FromSeconds(5);

    private SessionDownloads? _downloads;
    private DownloadWatch? _downloadWatch;

    private SessionDownloads NewDownloads() => _downloads = new SessionDownloads(TaskRecord, services.ArtifactsOf(SessionId), services.Downloads);

    /// <summary>Starts watching the just-opened context's pages for downloads.</summary>
    private async Task WatchDownloadsAsync()
    {
        _downloadWatch = new DownloadWatch(_lease!, _downloads!);
        await _downloadWatch.StartAsync();
    }

    private async Task StopDownloadsAsync()
    {
        if (_downloadWatch is { } watch)
        {
            await watch.StopAsync(DownloadsWaitOnEnd);
        }

        _downloads?.Stop();
    }
}
