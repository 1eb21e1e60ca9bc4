using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Profiles;

/// <summary>Profile limits and the save schedule (section <c>SessionGrid:Profiles</c>).</summary>
public sealed class ProfileOptions
{
    public const string Section = "SessionGrid:Profiles";

    /// <summary>How often a writing session saves its profile while it lives (it also saves when it ends).</summary>
    [Range(1, int.MaxValue)]
    public int SaveIntervalSeconds { get; set; } = 60;

    /// <summary>The largest storage state (cookies + localStorage, as JSON) a profile keeps; a larger one is not saved.</summary>
    [Range(1, int.MaxValue)]
    public int MaxStateBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How many profiles one API key may hold; creating more answers 403. 0: none.</summary>
    [Range(0, int.MaxValue)]
    public int MaxProfilesPerTenant { get; set; } = 100;
}
