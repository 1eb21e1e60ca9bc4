namespace SessionGrid.Contracts.Tenants;

/// <summary>What an issued key is, without the key: its public id, tenant, name, and times (Unix ms).</summary>
[GenerateSerializer, Alias("sg.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string? Name,
    [property: Id(3)] long CreatedAt,
    [property: Id(4)] long? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>Who a request's key speaks for: its tenant, and the key's name (null for a configured key).</summary>
[GenerateSerializer, Alias("sg.ApiKeyIdentity")]
public sealed record ApiKeyIdentity([property: Id(0)] string Tenant, [property: Id(1)] string? Name);

/// <summary>The public id of an issued key, derived from its hash, and the key of the index grain.</summary>
public static class ApiKeyIds
{
    public const string Prefix = "key_";

    /// <summary>The one <see cref="IApiKeyIndexGrain"/>.</summary>
    public const string IndexKey = "all";

    /// <summary><c>key_</c> and the hash's first 24 hex digits (the same digits as the default tenant <c>k_…</c> of that key).</summary>
    public static string Of(string keyHash) => Prefix + keyHash[..24];
}
