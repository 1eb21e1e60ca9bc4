using Microsoft.AspNetCore.Http;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Auth;

/// <summary>
/// Finds who a request's key speaks for: a configured key (in memory), else an issued key, asked of its grain on every
/// request so a revocation holds at once on every node. Only a key of the issued form is looked up, so made-up keys
/// of any other form cost no grain call.
/// </summary>
public sealed class ApiKeyAuthenticator(ApiKeyRegistry configured, IGrainFactory grains)
{
    /// <summary>The key's tenant and name; null when the request carries no live key.</summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(HttpRequest request)
    {
        if (ApiKeyRegistry.PresentedKey(request) is not { Length: > 0 } key)
        {
            return null;
        }

        var hash = ApiKeyHash.Of(key);
        if (configured.Contains(hash))
        {
            return new ApiKeyIdentity(ApiKeyHash.TenantOf(hash), null);
        }

        return ApiKeyHash.IsIssuedForm(key) ? await grains.GetGrain<IApiKeyGrain>(hash).AuthenticateAsync() : null;
    }
}
