using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Actions;

/// <summary>Settings under <c>SessionGrid:Actions</c>.</summary>
public sealed class ActionOptions
{
    public const string Section = "SessionGrid:Actions";

    /// <summary>Timeout of an action that does not set its own.</summary>
    [Range(1, int.MaxValue)]
    public int DefaultTimeoutMs { get; set; } = 30_000;

    /// <summary>The longest timeout an action may ask for; a longer one is refused.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTimeoutMs { get; set; } = 120_000;

    /// <summary>The largest JSON value an action may return (an evaluate result, say).</summary>
    [Range(1, int.MaxValue)]
    public int MaxResultBytes { get; set; } = 1 << 20;

    /// <summary>The largest capture (screenshot or PDF as base64, page HTML) an action may return.</summary>
    [Range(1, int.MaxValue)]
    public int MaxCaptureBytes { get; set; } = 20 << 20;
}
