using Microsoft.AspNetCore.Http;

namespace SessionGrid.Api.Auth;

/// <summary>
/// A set of keys known from configuration (as hashes): the accepted API keys, or the admin keys. A request names its
/// key in the <c>apikey</c> header or as <c>Authorization: Bearer</c>; every dialect accepts both.
/// </summary>
public sealed class ApiKeyRegistry(IEnumerable<string> keyHashes)
{
    private readonly HashSet<string> _hashes = new(keyHashes, StringComparer.Ordinal);

    /// <summary>The caller's tenant id, or null when the request carries no key of this set.</summary>
    public string? Authenticate(HttpRequest request) =>
        PresentedKey(request) is { Length: > 0 } key && ApiKeyHash.Of(key) is var hash && Contains(hash) ? ApiKeyHash.TenantOf(hash) : null;

    public bool Contains(string keyHash) => _hashes.Contains(keyHash);

    /// <summary>Whether a key of this set speaks for <paramref name="tenant"/>.</summary>
    public bool HasTenant(string tenant) => _hashes.Any(hash => ApiKeyHash.TenantOf(hash) == tenant);

    /// <summary>The key the request presents (the <c>apikey</c> header first), or null.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("apikey", out var apiKey) && !string.IsNullOrWhiteSpace(apiKey))
        {
            return apiKey.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
