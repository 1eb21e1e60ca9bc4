using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Downloads;

/// <summary>
/// Settings under <c>SessionGrid:Downloads</c>: the files a session's pages download. They are kept
/// <c>SessionGrid:Recording:RetentionHours</c>, as recordings are.
/// </summary>
public sealed class DownloadOptions
{
    public const string Section = "SessionGrid:Downloads";

    /// <summary>The largest file a page may download; a larger one is cancelled (a <c>download_refused</c> event says why).</summary>
    [Range(1, int.MaxValue)]
    public int MaxBytes { get; set; } = 50 << 20;

    /// <summary>The most bytes one session's downloads may take together; a download that would pass it is cancelled.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSessionBytes { get; set; } = 200 << 20;

    /// <summary>How many files one session may keep; a download beyond that is cancelled. 0: every download is refused.</summary>
    [Range(0, 10_000)]
    public int MaxFiles { get; set; } = 100;
}
