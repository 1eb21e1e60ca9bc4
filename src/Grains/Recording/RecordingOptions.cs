using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Recording;

/// <summary>Settings under <c>SessionGrid:Recording</c>: session videos, and how long they and a session's downloads are kept.</summary>
public sealed class RecordingOptions : IValidatableObject
{
    public const string Section = "SessionGrid:Recording";

    /// <summary>
    /// The videos' format: <c>mp4</c> (H.264, which every browser plays and which costs the least CPU to encode) or
    /// <c>webm</c> (VP8, free of patents).
    /// </summary>
    public string Format { get; set; } = VideoFormat.Mp4.Name;

    public VideoFormat VideoFormat => VideoFormat.Named(Format) ?? VideoFormat.Mp4;

    /// <summary>
    /// The ffmpeg that encodes recordings; unset: <c>ffmpeg</c> on the PATH (the OS package). Without one the host
    /// starts, says once that recording is off, and answers recording requests with <c>""</c> and a
    /// <c>recording_unavailable</c> event.
    /// </summary>
    public string? FfmpegPath { get; set; }

    /// <summary>Frames a recording takes per second at most; the screencast sends one only when the page changed.</summary>
    [Range(1, 30)]
    public int MaxFps { get; set; } = 5;

    /// <summary>The longest recording; at the cap it stops (a <c>recording_truncated</c> event), the session goes on.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSeconds { get; set; } = 3600;

    /// <summary>The largest recording; the segment that would pass it is not kept, and recording stops (<c>recording_truncated</c>).</summary>
    [Range(1, int.MaxValue)]
    public int MaxBytes { get; set; } = 100 << 20;

    /// <summary>
    /// How often a recording's new frames are encoded and stored (as a segment), so a lost node loses at most about
    /// this much of it. A page that does not change stores nothing new.
    /// </summary>
    [Range(1, 600)]
    public int SegmentSeconds { get; set; } = 10;

    /// <summary>How many segments a node encodes at once (each encode is one ffmpeg process); 0: half the processors, at least one.</summary>
    [Range(0, 64)]
    public int MaxConcurrentEncodes { get; set; }

    /// <summary>How long a session's recording and its downloaded files are kept (from when each is stored), then removed by the sweeper.</summary>
    [Range(0d, double.MaxValue, MinimumIsExclusive = true)]
    public double RetentionHours { get; set; } = 168;

    /// <summary>How long a signed link to a recording or to downloads opens it, from when it was handed out.</summary>
    [Range(0d, double.MaxValue, MinimumIsExclusive = true)]
    public double LinkTtlHours { get; set; } = 24;

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);

    public TimeSpan LinkTtl => TimeSpan.FromHours(LinkTtlHours);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => VideoFormat.Named(Format) is not null ? [] :
        [new ValidationResult($"must be mp4 or webm (got '{Format}')", [nameof(Format)])];
}
