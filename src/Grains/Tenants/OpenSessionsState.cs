using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Grains.Tenants;

/// <summary>The persisted claims of a tenant's open sessions, each with the time it was made (Unix ms).</summary>
[GenerateSerializer, Alias("sg.OpenSessionsState")]
public sealed class OpenSessionsState
{
    [Id(0)] public List<OpenSessionsState.Entry> Claims { get; set; } = [];

    [GenerateSerializer, Alias("sg.OpenSessionsState.Entry")]
    public sealed record Entry([property: Id(0)] SessionClaim Claim, [property: Id(1)] long ClaimedAt);
}
