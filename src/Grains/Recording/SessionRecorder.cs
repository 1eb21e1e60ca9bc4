using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Recording;

/// <summary>
/// One session's recording, beside the session (never in a grain turn, never in the way of its actions): the
/// screencast of its active page (<see cref="ActivePageScreencast"/>) hands over a frame when the page changed, kept at
/// most <see cref="RecordingOptions.MaxFps"/> a second (a change that comes sooner waits for its turn, so the last
/// state is never lost) as a JPEG in the recording's folder. Every <see cref="RecordingOptions.SegmentSeconds"/> with
/// new frames the frames so far become a segment, encoded by ffmpeg (<see cref="RecordingOptions.Format"/>; below normal
/// priority, one thread, a few at once per node) and
/// stored as an artifact, so a lost node loses only the last seconds. When the session ends, the last segment is stored
/// and the segments are joined into the finished video, stored too; the task record hears of the first segment and of
/// the end. At <see cref="RecordingOptions.MaxSeconds"/> or <see cref="RecordingOptions.MaxBytes"/> recording stops
/// with a <c>recording_truncated</c> event; the session goes on.
/// </summary>
internal sealed partial class SessionRecorder
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly string _sessionId;
    private readonly Recordings _recordings;
    private readonly Ffmpeg _ffmpeg;
    private readonly SessionArtifacts _artifacts;
    private readonly ITaskGrain _record;
    private readonly RecordingOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly string _folder;
    private readonly Lock _gate = new();
    private readonly Channel<Segment> _segments = Channel.CreateUnbounded<Segment>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<StoredSegment> _stored = [];
    private readonly CancellationTokenSource _ticking = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActivePageScreencast? _screencast;
    private Task _encoding = Task.CompletedTask;
    private Task _ticker = Task.CompletedTask;
    private Task _starting = Task.CompletedTask;
    private Task? _finished;
    private Segment? _current;
    private (int Width, int Height) _size;
    private long _startedAt;
    private long _lastKeptAt;
    private byte[]? _waiting;
    private ITimer? _waitingTimer;
    private int _frameNumber;
    private int _segmentNumber;
    private long _storedBytes;
    private bool _stopped;

    /// <summary>The recording keeps no more segments (its size cap, or ffmpeg failed).</summary>
    private bool _storedFull;

    public SessionRecorder(string sessionId, Recordings recordings, Ffmpeg ffmpeg, SessionArtifacts artifacts, ITaskGrain record,
        RecordingOptions options, TimeProvider clock, ILogger log)
    {
        _sessionId = sessionId;
        _recordings = recordings;
        _ffmpeg = ffmpeg;
        _artifacts = artifacts;
        _record = record;
        _options = options;
        _clock = clock;
        _log = log;
        _folder = Recordings.NewFolder(sessionId);
    }

    private long Interval => 1000 / _options.MaxFps;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Starts recording the session's active page and returns at once: the screencast starts, and its frames and
    /// segments are handled, beside the session from now on.
    /// </summary>
    public void Start(BrowserLease lease)
    {
        _recordings.Track(_ended.Task);
        _encoding = Task.Run(EncodeAsync);
        _ticker = Task.Run(TickAsync);
        _starting = Task.Run(async () =>
        {
            try
            {
                var screencast = new ActivePageScreencast(lease, new ScreencastSettings(70, 1280, 1280, TimeSpan.FromMilliseconds(Interval)), OnFrame);
                _screencast = screencast;
                if (!await screencast.StartAsync())
                {
                    LogNotStarted(_sessionId, screencast.Problem ?? "the session has no open page");
                }
            }
            catch (Exception ex)
            {
                // The session goes on; the recording gets what it got (nothing) when the session ends.
                LogFailed(ex, _sessionId);
            }
        });
    }

    /// <summary>
    /// Completes once the screencast started (or could not start), at most <paramref name="within"/> from now: a session
    /// runs its first command after this, so what the command does is recorded from its first frame.
    /// </summary>
    public async Task StartedAsync(TimeSpan within)
    {
        try
        {
            await _starting.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            // A screencast that hangs in its start does not hold the session's commands.
        }
    }

    /// <summary>
    /// The session ends: the screencast stops now; the last segment, the finished video and the report to the task
    /// record follow beside it. The task completes when all that is done (the host's stop waits for it).
    /// </summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _finished ??= FinishAsync();
            return _finished;
        }
    }

    private async Task FinishAsync()
    {
        await Task.Yield();
        try
        {
            Stop(Now);
            await StopScreencastAsync();
            await _ticking.CancelAsync();
            await _ticker;
            await _encoding;
            await CompleteAsync();
        }
        catch (Exception ex)
        {
            LogFailed(ex, _sessionId);
            await ReportAsync(new RecordingProgress { Finished = true });
        }
        finally
        {
            _waitingTimer?.Dispose();
            DeleteFolder();
            _ended.TrySetResult();
        }
    }

    /// <summary>Stops the screencast once it started (frames that still come are not kept: the recording stopped).</summary>
    private async Task StopScreencastAsync()
    {
        await _starting;
        if (_screencast is { } screencast)
        {
            await screencast.DisposeAsync();
        }
    }

    /// <summary>A frame from the screencast (on Playwright's thread): kept now, or when its turn comes.</summary>
    private void OnFrame(ScreencastFrame frame)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            var now = Now;
            if (_current is null)
            {
                if (RecordingVideo.JpegSize(frame.Jpeg) is not { } size)
                {
                    return;
                }

                // Even sides, as encoders like them.
                _size = (Math.Max(2, size.Width & ~1), Math.Max(2, size.Height & ~1));
                _startedAt = now;
                _current = new Segment(++_segmentNumber, now);
                Keep(frame.Jpeg, now);
                return;
            }

            if (now - _lastKeptAt >= Interval)
            {
                _waiting = null;
                Keep(frame.Jpeg, now);
                return;
            }

            // Too soon: it waits for its turn; a newer frame that comes meanwhile takes its place.
            _waiting = frame.Jpeg;
            _waitingTimer ??= _clock.CreateTimer(_ => KeepWaiting(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _waitingTimer.Change(TimeSpan.FromMilliseconds(Math.Max(1, _lastKeptAt + Interval - now)), Timeout.InfiniteTimeSpan);
        }
    }

    private void KeepWaiting()
    {
        lock (_gate)
        {
            if (_waiting is { } jpeg && !_stopped)
            {
                _waiting = null;
                Keep(jpeg, Math.Max(Now, _lastKeptAt + Interval));
            }
        }
    }

    /// <summary>Writes a frame into the current segment (under the lock), strictly after the frames before it.</summary>
    private void Keep(byte[] jpeg, long at)
    {
        var segment = _current!;
        at = Math.Max(at, segment.Frames.Count > 0 ? segment.Frames[^1].At + 1 : segment.Start);
        var file = Path.Combine(_folder, $"frame-{++_frameNumber:D7}.jpg");
        File.WriteAllBytes(file, jpeg);
        segment.Frames.Add(new RecordedFrame(file, at));
        segment.Fresh++;
        _lastKeptAt = at;
    }

    /// <summary>Every tick: the cap on the recording's length, and a new segment when the current one is old enough and has news.</summary>
    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(Tick, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_ticking.Token))
            {
                var truncated = false;
                lock (_gate)
                {
                    if (_stopped || _current is not { } segment)
                    {
                        continue;
                    }

                    var now = Now;
                    var cap = _startedAt + _options.MaxSeconds * 1000L;
                    if (now >= cap)
                    {
                        StopLocked(cap);
                        truncated = true;
                    }
                    else if (segment.Fresh > 0 && now - segment.Start >= _options.SegmentSeconds * 1000L)
                    {
                        Rotate(now);
                    }
                }

                if (truncated)
                {
                    await StopScreencastAsync();
                    await TruncatedAsync("max_seconds", $"the recording reached SessionGrid:Recording:MaxSeconds ({_options.MaxSeconds} s)");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The recording stopped.
        }
    }

    /// <summary>Ends the current segment at <paramref name="end"/> for encoding; the next starts there with the frame shown then (under the lock).</summary>
    private void Rotate(long end)
    {
        var segment = _current!;
        segment.End = end;
        _segments.Writer.TryWrite(segment);
        var next = new Segment(++_segmentNumber, end);
        var shown = Path.Combine(_folder, $"frame-{++_frameNumber:D7}.jpg");
        File.Copy(segment.Frames[^1].File, shown);
        next.Frames.Add(new RecordedFrame(shown, end));
        _current = next;
    }

    /// <summary>Stops taking frames: the current segment ends at <paramref name="end"/> and is the last one.</summary>
    private void Stop(long end)
    {
        lock (_gate)
        {
            StopLocked(end);
        }
    }

    /// <summary>
    /// <see cref="Stop"/> under the lock: frames after <paramref name="end"/> are dropped; a last segment that only
    /// carries the frame shown before is kept too (a page that did not change till the end), so the video lasts until the
    /// recording stopped.
    /// </summary>
    private void StopLocked(long end)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _waiting = null;
        if (_current is { } segment)
        {
            segment.Frames.RemoveAll(f => f.At >= end && f.At > segment.Start);
            if (segment.Fresh > 0 || end > segment.Start)
            {
                segment.End = Math.Max(end, segment.Frames[^1].At + 1);
                _segments.Writer.TryWrite(segment);
            }
        }

        _segments.Writer.TryComplete();
    }

    /// <summary>Encodes and stores the segments in order, while the recording is within its size.</summary>
    private async Task EncodeAsync()
    {
        await foreach (var segment in _segments.Reader.ReadAllAsync())
        {
            try
            {
                if (segment.Frames.Count > 0 && !_storedFull)
                {
                    await StoreAsync(segment);
                }
            }
            catch (Exception ex)
            {
                // A segment that could not be stored (a full disk, the store away): the ones after it may still be.
                LogFailed(ex, _sessionId);
            }
            finally
            {
                foreach (var frame in segment.Frames)
                {
                    File.Delete(frame.File);
                }
            }
        }
    }

    private async Task StoreAsync(Segment segment)
    {
        var format = _options.VideoFormat;
        var output = Path.Combine(_folder, $"encoding-{segment.Number:D6}{format.SegmentExtension}");
        string? failed;
        await _recordings.EncodeGate.WaitAsync();
        try
        {
            failed = await RecordingVideo.EncodeSegmentAsync(_ffmpeg, format, segment.Frames, segment.End, _size, output, CancellationToken.None);
        }
        finally
        {
            _recordings.EncodeGate.Release();
        }

        if (failed is not null)
        {
            LogEncodeFailed(_sessionId, failed);
            _storedFull = true;
            Stop(Now);
            await StopScreencastAsync();
            await NoticeAsync("recording_unavailable", new JsonObject { ["reason"] = $"encoding failed: {failed}" });
            return;
        }

        var bytes = await File.ReadAllBytesAsync(output);
        if (_storedBytes + bytes.Length > _options.MaxBytes)
        {
            _storedFull = true;
            File.Delete(output);
            Stop(Now);
            await StopScreencastAsync();
            await TruncatedAsync("max_bytes", $"the recording reached SessionGrid:Recording:MaxBytes ({_options.MaxBytes} bytes)");
            return;
        }

        var duration = segment.End - segment.Start;
        var name = RecordingVideo.SegmentName(segment.Number, duration, format);
        // Kept until the finished video replaces them; a lost node's segments are joined when first asked for.
        var expiresAt = _artifacts.ExpiresAt() + _options.MaxSeconds * 1000L;
        await _artifacts.Store.PutAsync(SessionArtifacts.RecordingScope(_sessionId), name, format.ContentType, bytes, expiresAt, CancellationToken.None);
        File.Move(output, Path.Combine(_folder, name));
        _storedBytes += bytes.Length;
        _stored.Add(new StoredSegment(name, duration));
        await ReportAsync(new RecordingProgress { StartedAt = _startedAt, ExpiresAt = expiresAt, DurationMs = _stored.Sum(s => s.DurationMs) });
    }

    /// <summary>Joins the stored segments into the finished video, stores it instead of them, and tells the task record.</summary>
    private async Task CompleteAsync()
    {
        if (_stored.Count == 0)
        {
            await ReportAsync(new RecordingProgress { Finished = true });
            return;
        }

        var output = Path.Combine(_folder, _stored[0].Format.FinalName);
        var failed = await RecordingVideo.AssembleAsync(_ffmpeg, _folder, _stored, output, CancellationToken.None);
        if (failed is not null)
        {
            // Nothing to show: the task says so ("" rather than a link that cannot play).
            LogEncodeFailed(_sessionId, failed);
            await ReportAsync(new RecordingProgress { Finished = true });
            return;
        }

        var video = await File.ReadAllBytesAsync(output);
        var expiresAt = await _artifacts.KeepRecordingAsync(video, _stored);
        await ReportAsync(new RecordingProgress { Finished = true, Size = video.Length, DurationMs = _stored.Sum(s => s.DurationMs), ExpiresAt = expiresAt });
    }

    private async Task TruncatedAsync(string reason, string detail)
    {
        await ReportAsync(new RecordingProgress { Truncated = reason });
        await NoticeAsync("recording_truncated", new JsonObject { ["reason"] = reason, ["detail"] = detail });
    }

    private async Task NoticeAsync(string name, JsonObject data)
    {
        try
        {
            await _record.AppendAsync(TaskEvent.Notice(name, data.ToJsonString()));
        }
        catch (Exception ex)
        {
            LogReportFailed(ex, _sessionId);
        }
    }

    private async Task ReportAsync(RecordingProgress progress)
    {
        try
        {
            await _record.RecordingAsync(progress);
        }
        catch (Exception ex)
        {
            LogReportFailed(ex, _sessionId);
        }
    }

    private void DeleteFolder()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The next start of the host removes it.
        }
    }

    /// <summary>Frames from <see cref="Start"/> to <see cref="End"/> (Unix ms); <see cref="Fresh"/> counts those not carried over from the segment before.</summary>
    private sealed class Segment(int number, long start)
    {
        public int Number => number;

        public long Start => start;

        public long End { get; set; }

        public List<RecordedFrame> Frames { get; } = [];

        public int Fresh { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: its recording failed")]
    private partial void LogFailed(Exception ex, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: its recording's screencast did not start yet ({Problem}); it starts when the page has loaded")]
    private partial void LogNotStarted(string sessionId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: ffmpeg could not encode its recording: {Error}")]
    private partial void LogEncodeFailed(string sessionId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: its task record did not take the recording's progress")]
    private partial void LogReportFailed(Exception ex, string sessionId);
}
