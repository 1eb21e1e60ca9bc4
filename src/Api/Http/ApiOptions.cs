using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Api.Http;

/// <summary>Settings under <c>SessionGrid:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "SessionGrid:Api";

    /// <summary>The largest JSON request body accepted; larger ones answer 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 1 << 20;
}
