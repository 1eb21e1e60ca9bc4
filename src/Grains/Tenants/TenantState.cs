namespace SessionGrid.Grains.Tenants;

/// <summary>The persisted task index of a tenant: parallel lists, ascending by creation time.</summary>
[GenerateSerializer, Alias("sg.TenantState")]
public sealed class TenantState
{
    [Id(0)] public List<long> CreatedAt { get; set; } = [];
    [Id(1)] public List<string> TaskIds { get; set; } = [];
}
