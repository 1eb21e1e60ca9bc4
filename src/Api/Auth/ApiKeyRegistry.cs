using Microsoft.AspNetCore.Http;

namespace SessionGrid.Api.Auth;

/// <summary>
/// The accepted API keys (as hashes). A request names its key in the <c>apikey</c> header or as
/// <c>Authorization: Bearer</c>; every dialect accepts both.
/// </summary>
public sealed class ApiKeyRegistry(IEnumerable<string> keyHashes)
{
    private readonly HashSet<string> _hashes = new(keyHashes, StringComparer.Ordinal);

    /// <summary>The caller's tenant id, or null when the request carries no valid key.</summary>
    public string? Authenticate(HttpRequest request)
    {
        var key = PresentedKey(request);
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var hash = ApiKeyHash.Of(key);
        return _hashes.Contains(hash) ? ApiKeyHash.TenantOf(hash) : null;
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("apikey", out var apiKey) && !string.IsNullOrWhiteSpace(apiKey))
        {
            return apiKey.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
