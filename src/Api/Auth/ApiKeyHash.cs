using System.Security.Cryptography;
using System.Text;

namespace SessionGrid.Api.Auth;

/// <summary>API keys are kept only as SHA-256 hashes; a key's tenant id is derived from its hash.</summary>
public static class ApiKeyHash
{
    public static string Of(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string TenantOf(string keyHash) => "k_" + keyHash[..24];

    /// <summary>A new random key, shown to its owner once.</summary>
    public static string NewKey() => "sg_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
