namespace SessionGrid.Grains.Actions;

/// <summary>Settings under <c>SessionGrid:UrlPolicy</c>; both lists take the forms <see cref="HostList"/> reads.</summary>
public sealed class UrlPolicyOptions
{
    public const string Section = "SessionGrid:UrlPolicy";

    /// <summary>Hosts refused in addition to the built-in link-local and cloud metadata addresses.</summary>
    public string[] DenyHosts { get; set; } = [];

    /// <summary>When not empty, the only hosts a browser may reach (the deny list still applies).</summary>
    public string[] AllowHosts { get; set; } = [];
}
