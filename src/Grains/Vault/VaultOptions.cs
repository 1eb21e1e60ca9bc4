namespace SessionGrid.Grains.Vault;

/// <summary>Settings under <c>SessionGrid:Vault</c>: the credential vault and the <c>authenticate</c> action.</summary>
public sealed class VaultOptions
{
    public const string Section = "SessionGrid:Vault";

    /// <summary>How many credentials one API key may store; more answer 409.</summary>
    public int MaxCredentialsPerTenant { get; set; } = 100;

    /// <summary>The longest <c>pauseTimeoutMs</c> an authenticate action may ask for (30 minutes).</summary>
    public int MaxPauseTimeoutMs { get; set; } = 1_800_000;

    /// <summary>How long a vault login looks for a consent banner to dismiss before it types.</summary>
    public int ConsentTimeoutMs { get; set; } = 1_000;
}
