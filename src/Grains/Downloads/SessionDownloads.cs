using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Artifacts;

namespace SessionGrid.Grains.Downloads;

/// <summary>
/// One session's downloaded files: the limits a download must stay within (<see cref="DownloadOptions"/>, counted over
/// every file of the session's downloads), the files that landed (kept under safe, unique names, each announced by a
/// <c>download</c> event <c>{name, size, url}</c>), the ones refused (<c>download_refused</c> <c>{name, reason}</c>) or
/// failed (<c>download_failed</c> <c>{name, error}</c>), and what the agent has not been told yet. Called from
/// Playwright's threads, never in a grain turn; once the session stopped it keeps nothing more.
/// </summary>
internal sealed class SessionDownloads(ITaskGrain record, SessionArtifacts artifacts, DownloadOptions limits)
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _landing = new(1, 1);
    private readonly ConcurrentQueue<StoredFileInfo> _unseen = new();
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private long _bytes;
    private int _files;
    private TaskCompletionSource _settled = Settled();
    private volatile bool _stopped;

    /// <summary>Why a download of <paramref name="size"/> bytes (so far, or announced) may not go on; null when it may.</summary>
    public string? Refusal(long size)
    {
        lock (_gate)
        {
            return _files >= limits.MaxFiles
                ? $"the session already keeps {limits.MaxFiles} downloaded files, the most it may keep (SessionGrid:Downloads:MaxFiles)"
                : size > limits.MaxBytes
                    ? $"the file is larger than the limit of {limits.MaxBytes} bytes per file (SessionGrid:Downloads:MaxBytes)"
                    : _bytes + size > limits.MaxSessionBytes
                        ? $"the session's downloads would pass their limit of {limits.MaxSessionBytes} bytes (SessionGrid:Downloads:MaxSessionBytes)"
                        : null;
        }
    }

    /// <summary>
    /// A download started (<paramref name="key"/>: its URL and suggested name; Chromium's first word of it and
    /// Playwright's count once): until it ends, the agent's next observation waits for it (<see cref="TakeLandedAsync"/>).
    /// </summary>
    public void Began(string key)
    {
        lock (_gate)
        {
            if (_running.Count == 0)
            {
                _settled = Settled();
            }

            _running.Add(key);
        }
    }

    public void Ended(string key)
    {
        TaskCompletionSource? settled = null;
        lock (_gate)
        {
            if (_running.Remove(key) && _running.Count == 0)
            {
                settled = _settled;
            }
        }

        settled?.TrySetResult();
    }

    /// <summary>The session ended: nothing more is kept or announced.</summary>
    public void Stop() => _stopped = true;

    /// <summary>
    /// The files that landed since the last call, once the downloads still running have ended (or
    /// <paramref name="maxWait"/> passed): what the agent's next observation names.
    /// </summary>
    public async Task<IReadOnlyList<StoredFileInfo>> TakeLandedAsync(TimeSpan maxWait)
    {
        Task settled;
        lock (_gate)
        {
            settled = _running.Count == 0 ? Task.CompletedTask : _settled.Task;
        }

        await settled.WaitAsync(maxWait).ContinueWith(_ => { }, TaskScheduler.Default);
        var landed = new List<StoredFileInfo>();
        while (_unseen.TryDequeue(out var file))
        {
            landed.Add(file);
        }

        return landed;
    }

    /// <summary>A download finished into <paramref name="path"/>: kept under a safe, unique name, unless it passes a limit after all.</summary>
    public async Task LandedAsync(string suggestedName, string path)
    {
        var size = new FileInfo(path).Length;
        await _landing.WaitAsync();
        try
        {
            if (_stopped)
            {
                return;
            }

            // The session's downloads as the store has them (the agent's captures and a restored session's files count too).
            var kept = await artifacts.DownloadsAsync();
            lock (_gate)
            {
                _files = kept.Count;
                _bytes = kept.Sum(f => f.Size);
            }

            if (Refusal(size) is { } reason)
            {
                await RefusedAsync(suggestedName, reason);
                return;
            }

            var name = DownloadNames.Unique(DownloadNames.Safe(suggestedName), n => kept.Any(f => f.Name == n));
            var (file, link) = await artifacts.KeepDownloadAsync(name, await File.ReadAllBytesAsync(path));
            lock (_gate)
            {
                _files++;
                _bytes += size;
            }

            _unseen.Enqueue(file);
            await NoticeAsync("download", new JsonObject { ["name"] = name, ["size"] = size, ["url"] = link });
        }
        finally
        {
            _landing.Release();
        }
    }

    public Task RefusedAsync(string suggestedName, string reason) =>
        NoticeAsync("download_refused", new JsonObject { ["name"] = DownloadNames.Safe(suggestedName), ["reason"] = reason });

    public Task FailedAsync(string suggestedName, string error) =>
        NoticeAsync("download_failed", new JsonObject { ["name"] = DownloadNames.Safe(suggestedName), ["error"] = error });

    private Task NoticeAsync(string name, JsonObject data) =>
        _stopped ? Task.CompletedTask : record.AppendAsync(TaskEvent.Notice(name, data.ToJsonString()));

    private static TaskCompletionSource Settled() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
