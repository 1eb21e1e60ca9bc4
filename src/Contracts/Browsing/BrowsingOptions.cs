using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Contracts.Browsing;

/// <summary>Settings under <c>SessionGrid:Browsing</c>: the dat.ai-compatible Browsing API (read by the API and the silo alike).</summary>
public sealed class BrowsingOptions
{
    public const string Section = "SessionGrid:Browsing";

    /// <summary>The longest task timeout a client may ask for (3 hours, as the contract says).</summary>
    public const int MaxTimeoutMs = 10_800_000;

    /// <summary>How long <c>POST /browsing/sync</c> waits before answering 504 (the task goes on and stays pollable).</summary>
    [Range(1, int.MaxValue)]
    public int SyncWaitSeconds { get; set; } = 600;

    /// <summary>How long screenshots are kept (at most 5 days in the contract), then removed by the sweeper.</summary>
    [Range(0d, 120d, MinimumIsExclusive = true)]
    public double ScreenshotRetentionHours { get; set; } = 120;

    /// <summary>A folder of operator templates (<c>{stem}.json</c>); null for the built-in ones only.</summary>
    public string? TemplatesFolder { get; set; }
}
