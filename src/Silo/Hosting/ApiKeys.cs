namespace SessionGrid.Silo.Hosting;

/// <summary>Where a host's API keys come from.</summary>
public enum ApiKeySource
{
    /// <summary>Listed in <c>SessionGrid:ApiKeys</c>.</summary>
    Configured,

    /// <summary>Generated on an earlier start of this data folder; its hash is in the hash file.</summary>
    GeneratedBefore,

    /// <summary>Generated on this start and printed once.</summary>
    GeneratedNow,

    /// <summary>None configured: tenant keys are issued through the admin API by the configured admin keys.</summary>
    AdminIssued,
}

/// <summary>The hashes of the API keys a host accepts, where they come from, and the hash file of a generated one.</summary>
public sealed record ApiKeys(IReadOnlyList<string> Hashes, ApiKeySource Source, string? HashFile);
