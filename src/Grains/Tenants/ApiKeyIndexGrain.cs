using SessionGrid.Contracts.Tenants;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Tenants;

/// <summary>The hashes of every issued key (one grain): what the admin list reads, and where the store's size limit holds.</summary>
public sealed class ApiKeyIndexGrain(
    [PersistentState("apikeys", StorageNames.Default)] IPersistentState<ApiKeyIndexState> state)
    : IdIndexGrain<ApiKeyIndexState>(state, () => MaxKeys), IApiKeyIndexGrain
{
    /// <summary>Issued keys, revoked ones included, the store holds at most.</summary>
    public const int MaxKeys = 10_000;
}
