namespace SessionGrid.Grains.Tenants;

/// <summary>The persisted form of an issued key: never the key, only what it is (its grain key is its hash).</summary>
[GenerateSerializer, Alias("sg.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Tenant { get; set; } = "";
    [Id(2)] public string? Name { get; set; }
    [Id(3)] public long CreatedAt { get; set; }
    [Id(4)] public long? RevokedAt { get; set; }
}

/// <summary>The persisted key index: every issued key's hash, oldest first.</summary>
[GenerateSerializer, Alias("sg.ApiKeyIndexState")]
public sealed class ApiKeyIndexState : IIdList
{
    [Id(0)] public List<string> Ids { get; set; } = [];
}
