using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Tenants;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Tenants;

/// <summary>
/// One issued API key (key: its SHA-256 hash). Lookups never write; a lookup of a hash that is no key deactivates the
/// grain when the call ends, so a flood of made-up keys leaves neither state nor activations behind. Logs name the
/// key's public id and tenant, never the key or its hash.
/// </summary>
public sealed partial class ApiKeyGrain(
    [PersistentState("apikey", StorageNames.Default)] IPersistentState<ApiKeyState> state,
    TimeProvider clock,
    ILogger<ApiKeyGrain> log) : Grain, IApiKeyGrain
{
    private ApiKeyState Key => state.State;

    private string Id => ApiKeyIds.Of(this.GetPrimaryKeyString());

    private IApiKeyIndexGrain Index => GrainFactory.GetGrain<IApiKeyIndexGrain>(ApiKeyIds.IndexKey);

    public async Task<ApiKeyInfo?> CreateAsync(string tenant, string? name)
    {
        if (Key.Exists || !await Index.TryAddAsync(this.GetPrimaryKeyString()))
        {
            return null;
        }

        Key.Exists = true;
        Key.Tenant = tenant;
        Key.Name = name;
        Key.CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Key.Exists = false;
            await Index.RemoveAsync(this.GetPrimaryKeyString());
            throw;
        }

        LogCreated(Id, tenant);
        return Info();
    }

    public Task<ApiKeyIdentity?> AuthenticateAsync()
    {
        if (!Key.Exists)
        {
            DeactivateOnIdle();
            return Task.FromResult<ApiKeyIdentity?>(null);
        }

        return Task.FromResult(Key.RevokedAt is null ? new ApiKeyIdentity(Key.Tenant, Key.Name) : null);
    }

    public Task<ApiKeyInfo?> DescribeAsync() => Task.FromResult(Key.Exists ? Info() : null);

    public async Task<ApiKeyInfo?> RevokeAsync()
    {
        if (!Key.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        if (Key.RevokedAt is null)
        {
            Key.RevokedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await state.WriteStateAsync();
            LogRevoked(Id, Key.Tenant);
        }

        return Info();
    }

    private ApiKeyInfo Info() => new(Id, Key.Tenant, Key.Name, Key.CreatedAt, Key.RevokedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued API key {KeyId} for {Tenant}")]
    private partial void LogCreated(string keyId, string tenant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked API key {KeyId} of {Tenant}")]
    private partial void LogRevoked(string keyId, string tenant);
}
