namespace SessionGrid.Grains.Actions;

/// <summary>Settings under <c>SessionGrid:UrlPolicy</c>.</summary>
public sealed class UrlPolicyOptions
{
    public const string Section = "SessionGrid:UrlPolicy";

    /// <summary>Hosts refused in addition to the built-in cloud metadata addresses.</summary>
    public string[] DenyHosts { get; set; } = [];
}
