using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Actions;

/// <summary>Settings under <c>SessionGrid:UrlPolicy</c>; both lists take the forms <see cref="HostList"/> reads.</summary>
public sealed class UrlPolicyOptions : IValidatableObject
{
    public const string Section = "SessionGrid:UrlPolicy";

    /// <summary>Hosts refused in addition to the built-in link-local and cloud metadata addresses.</summary>
    public string[] DenyHosts { get; set; } = [];

    /// <summary>When not empty, the only hosts a browser may reach (the deny list still applies).</summary>
    public string[] AllowHosts { get; set; } = [];

    /// <summary>Every entry of both lists is a host, an address or an IPv4 range (<see cref="HostList"/> reads them the same way).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (list, name) in new[] { (DenyHosts, nameof(DenyHosts)), (AllowHosts, nameof(AllowHosts)) })
        {
            var problem = Problem(list, $"{Section}:{name}");
            if (problem is not null)
            {
                // The message names the setting already.
                yield return new ValidationResult(problem);
            }
        }
    }

    private static string? Problem(string[] entries, string setting)
    {
        try
        {
            _ = new HostList(entries, setting);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }
}
