using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Contracts.Sessions;

/// <summary>Settings under <c>SessionGrid:Extensions</c>: the Chrome extensions tenants upload (read by the API and the silo alike).</summary>
public sealed class ExtensionOptions
{
    public const string Section = "SessionGrid:Extensions";

    /// <summary>The largest extension (<c>.zip</c> or <c>.crx</c>) a client may upload; larger uploads answer 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxUploadBytes { get; set; } = 10 << 20;

    /// <summary>The most an extension may hold once unpacked (a small zip can unpack to gigabytes); more is refused.</summary>
    [Range(1, int.MaxValue)]
    public int MaxUnpackedBytes { get; set; } = 50 << 20;

    /// <summary>How many extensions one tenant may keep; one more answers 403. 0: none.</summary>
    [Range(0, int.MaxValue)]
    public int MaxPerTenant { get; set; } = 50;

    /// <summary>How many extensions one session may load.</summary>
    [Range(1, 100)]
    public int MaxPerSession { get; set; } = 10;
}
