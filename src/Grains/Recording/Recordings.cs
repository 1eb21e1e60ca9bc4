using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace SessionGrid.Grains.Recording;

/// <summary>
/// The node's recording service: its ffmpeg (found once at start; without one the host still starts and says once that
/// recording is off), the gate that bounds how many segments it encodes at once, the folder each recording keeps its
/// frames in until they are encoded (a killed host's folders are removed by the next start), and the recordings still
/// running or finishing: a stopping silo waits for them (while its sessions end), so what they recorded is stored
/// before the silo goes.
/// </summary>
public sealed partial class Recordings(IOptions<RecordingOptions> options, ILogger<Recordings> log) : IHostedService, ILifecycleParticipant<ISiloLifecycle>
{
    private const string FolderPrefix = "sessiongrid-recording-";

    /// <summary>How long a stopping silo waits for its recordings to be stored (within the host's shutdown time).</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<Task, byte> _running = new();

    private readonly Lazy<Ffmpeg?> _ffmpeg = new(() => Ffmpeg.Find(options.Value.FfmpegPath));
    private int _reported;

    /// <summary>The ffmpeg this node encodes with; null when it has none (recording is off).</summary>
    public Ffmpeg? Ffmpeg
    {
        get
        {
            var found = _ffmpeg.Value;
            if (found is null && Interlocked.Exchange(ref _reported, 1) == 0)
            {
                LogUnavailable(options.Value.FfmpegPath ?? "ffmpeg on the PATH");
            }

            return found;
        }
    }

    /// <summary>Why a recording cannot be made here, as a <c>recording_unavailable</c> event says it.</summary>
    public string UnavailableReason =>
        $"ffmpeg was not found on this node ({options.Value.FfmpegPath ?? "ffmpeg on the PATH"}): install the OS package (apt-get install ffmpeg) or set SessionGrid:Recording:FfmpegPath";

    /// <summary>Bounds the encodes running at once on this node (each an ffmpeg process).</summary>
    public SemaphoreSlim EncodeGate { get; } = new(options.Value.MaxConcurrentEncodes is > 0 and var n ? n : Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>A new folder for one recording's frames and segments, owned by this process.</summary>
    public static string NewFolder(string sessionId)
    {
        var safe = new string([.. sessionId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{safe}-{Guid.NewGuid():N}")).FullName;
    }

    /// <summary>Keeps a recording's end in view until it came: a stopping silo waits for it.</summary>
    internal void Track(Task ended)
    {
        _running[ended] = 0;
        _ = ended.ContinueWith(done => _running.TryRemove(done, out _), TaskScheduler.Default);
    }

    /// <summary>
    /// Waits, as the silo stops (at the stage where its sessions end, side by side with them), until every recording
    /// ended and was stored, or <see cref="StopWait"/> passed.
    /// </summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(Recordings), ServiceLifecycleStage.Active, _ => Task.CompletedTask, async cancellationToken =>
        {
            try
            {
                await Task.WhenAll(_running.Keys).WaitAsync(StopWait, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                LogStopTimedOut(_running.Count);
            }
        });

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Ffmpeg;
        ReapOrphans();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Removes the frame folders of processes that no longer run (a killed host's).</summary>
    private void ReapOrphans()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var name = Path.GetFileName(folder)[FolderPrefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name[..dash], out var pid) || Alive(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Gone already, or in use: the next start tries again.
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} recordings were not stored before the silo stopped; what they stored so far is served")]
    private partial void LogStopTimedOut(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session recording is off on this node: ffmpeg was not found ({Where}). Install the OS package (apt-get install ffmpeg) or set SessionGrid:Recording:FfmpegPath; sessions that ask for a recording get a recording_unavailable event and an empty recording_url")]
    private partial void LogUnavailable(string where);
}
