using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// This node's settings under <c>SessionGrid:Node</c> that the engine and the API read (the host reads <c>Name</c> and
/// <c>Country</c> itself).
/// </summary>
public sealed class NodeOptions : IValidatableObject
{
    public const string Section = "SessionGrid:Node";

    /// <summary>
    /// Where an API process on another node reaches this node's HTTP server (<c>http://10.0.0.5:8080</c>), to relay a
    /// CDP connection to a session whose browser runs here. Unset, the address this node's server listens on, with a
    /// wildcard host (<c>0.0.0.0</c>, <c>[::]</c>) read as the node's advertised address.
    /// </summary>
    public string? InternalUrl { get; set; }

    /// <summary>
    /// How long a draining node (SIGTERM in a cluster, or <c>POST /api/v1/admin/nodes/{name}/drain</c>) lets its
    /// running sessions finish before it ends what is left with <c>node_draining</c>. Profile-backed sessions move to
    /// another node as soon as they are idle. A cluster host's shutdown timeout is this plus 30 s, and a pod's grace
    /// period must be longer still. 0: hand over and end at once.
    /// </summary>
    [Range(0, 3600)]
    public int DrainSeconds { get; set; } = DefaultDrainSeconds;

    public const int DefaultDrainSeconds = 120;

    /// <summary>Whether <see cref="InternalUrl"/> is unset or an absolute http(s) URL without query or fragment.</summary>
    public bool IsValid() => BaseUrl.IsValid(InternalUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => IsValid() ? [] :
        [new ValidationResult($"must be an absolute http or https URL without query or fragment (got '{InternalUrl}')", [nameof(InternalUrl)])];
}
