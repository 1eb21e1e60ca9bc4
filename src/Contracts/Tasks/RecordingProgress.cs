namespace SessionGrid.Contracts.Tasks;

/// <summary>
/// A session's recording as its task record knows it (reported by the session's recorder, which runs beside the
/// session and outlives it by the seconds its last segment takes): when its first frame was shown (Unix ms; set once
/// the first segment is stored, so a recording with a start has data), whether the recorder finished (the video is
/// stored, <see cref="Size"/> &gt; 0, or there is none), and until when its parts are kept.
/// </summary>
[GenerateSerializer, Alias("sg.RecordingProgress")]
public sealed record RecordingProgress
{
    [Id(0)] public long? StartedAt { get; init; }

    [Id(1)] public bool Finished { get; init; }

    /// <summary>The finished video's bytes (0 while unfinished, or when nothing was recorded).</summary>
    [Id(2)] public long Size { get; init; }

    /// <summary>How long the video lasts (ms): the stored segments' sum.</summary>
    [Id(3)] public long DurationMs { get; init; }

    /// <summary>Until when the recording's parts are kept (Unix ms); then the sweeper removes them.</summary>
    [Id(4)] public long ExpiresAt { get; init; }

    /// <summary>Why recording stopped before the session ended (<c>max_seconds</c>, <c>max_bytes</c>), or null.</summary>
    [Id(5)] public string? Truncated { get; init; }

    /// <summary>
    /// No recorder will finish it: the session ended without one running (it never opened, or it was restored on
    /// another node after its own was lost). What was stored of it, if anything, is the recording.
    /// </summary>
    [Id(6)] public bool Abandoned { get; init; }
}
