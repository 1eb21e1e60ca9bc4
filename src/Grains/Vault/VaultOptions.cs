using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Vault;

/// <summary>Settings under <c>SessionGrid:Vault</c>: the credential vault and the <c>authenticate</c> action.</summary>
public sealed class VaultOptions
{
    public const string Section = "SessionGrid:Vault";

    /// <summary>How many credentials one API key may store; more answer 409. 0: none.</summary>
    [Range(0, int.MaxValue)]
    public int MaxCredentialsPerTenant { get; set; } = 100;

    /// <summary>The longest <c>pauseTimeoutMs</c> an authenticate action may ask for (30 minutes).</summary>
    [Range(1, int.MaxValue)]
    public int MaxPauseTimeoutMs { get; set; } = 1_800_000;

    /// <summary>How long a vault login looks for a consent banner to dismiss before it types; 0: it does not look.</summary>
    [Range(0, int.MaxValue)]
    public int ConsentTimeoutMs { get; set; } = 1_000;
}
