using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Recording;

/// <summary>Settings under <c>SessionGrid:Recording</c>: session videos, and how long they and a session's downloads are kept.</summary>
public sealed class RecordingOptions
{
    public const string Section = "SessionGrid:Recording";

    /// <summary>How long a session's recording and its downloaded files are kept (from when each is stored), then removed by the sweeper.</summary>
    [Range(0d, double.MaxValue, MinimumIsExclusive = true)]
    public double RetentionHours { get; set; } = 168;

    /// <summary>How long a signed link to a recording or to downloads opens it, from when it was handed out.</summary>
    [Range(0d, double.MaxValue, MinimumIsExclusive = true)]
    public double LinkTtlHours { get; set; } = 24;

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);

    public TimeSpan LinkTtl => TimeSpan.FromHours(LinkTtlHours);
}
