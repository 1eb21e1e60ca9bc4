namespace SessionGrid.Grains.Tenants;

/// <summary>
/// The persisted task index of a tenant: parallel lists, ascending by creation time. Entries written before
/// <see cref="Dialects"/> existed have none and count as Task API tasks.
/// </summary>
[GenerateSerializer, Alias("sg.TenantState")]
public sealed class TenantState
{
    [Id(0)] public List<long> CreatedAt { get; set; } = [];
    [Id(1)] public List<string> TaskIds { get; set; } = [];
    [Id(2)] public List<string> Dialects { get; set; } = [];
}
