namespace SessionGrid.Contracts.Tenants;

/// <summary>
/// One issued API key (key: the SHA-256 hash of the key, lower-case hex; the key itself is never stored or sent to a
/// grain). It knows its tenant, name, creation time and whether it was revoked. Every request that presents an issued
/// key asks this grain, so a revocation holds on every node from the next request on.
/// </summary>
[Alias("sg.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Stores a new key for <paramref name="tenant"/>; null when a key with this hash exists or the key store is full.</summary>
    [Alias("Create")]
    Task<ApiKeyInfo?> CreateAsync(string tenant, string? name);

    /// <summary>
    /// The tenant and name of a live key; null when no key has this hash or it was revoked. Never writes: an unknown
    /// hash leaves no state behind and its activation ends with the call.
    /// </summary>
    [Alias("Authenticate")]
    Task<ApiKeyIdentity?> AuthenticateAsync();

    /// <summary>What the key is (never the key); null when no key has this hash.</summary>
    [Alias("Describe")]
    Task<ApiKeyInfo?> DescribeAsync();

    /// <summary>Revokes the key (again is fine) and answers what it is now; null when no key has this hash.</summary>
    [Alias("Revoke")]
    Task<ApiKeyInfo?> RevokeAsync();
}

/// <summary>The hashes of every issued key, revoked ones included, in creation order (one grain: <see cref="ApiKeyIds.IndexKey"/>).</summary>
[Alias("sg.IApiKeyIndexGrain")]
public interface IApiKeyIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds a key's hash unless the store already holds the most it may; false when full.</summary>
    [Alias("TryAdd")]
    Task<bool> TryAddAsync(string keyHash);

    [Alias("Remove")]
    Task RemoveAsync(string keyHash);

    /// <summary>The hashes, oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}
