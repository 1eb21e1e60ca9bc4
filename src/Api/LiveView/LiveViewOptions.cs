using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Api.LiveView;

/// <summary>Settings under <c>SessionGrid:LiveView</c>.</summary>
public sealed class LiveViewOptions : IValidatableObject
{
    public const string Section = "SessionGrid:LiveView";

    /// <summary>
    /// Where people reach this server (<c>https://grid.example.com</c>, a path allowed): live-view links start with it.
    /// Unset, a Task API answer uses the request's own scheme and host, and a link handed out by <c>authenticate</c>
    /// the address this server listens on.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Whether <see cref="PublicBaseUrl"/> is unset or an absolute http(s) URL without query or fragment.</summary>
    public bool IsValid() => Contracts.Sessions.BaseUrl.IsValid(PublicBaseUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => IsValid() ? [] :
        [new ValidationResult($"must be an absolute http or https URL without query or fragment (got '{PublicBaseUrl}')", [nameof(PublicBaseUrl)])];
}
