using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SessionGrid.Api.Auth;

/// <summary>API keys are kept only as SHA-256 hashes; a key's tenant id is derived from its hash.</summary>
public static partial class ApiKeyHash
{
    public static string Of(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string TenantOf(string keyHash) => "k_" + keyHash[..24];

    /// <summary>A new random key, shown to its owner once.</summary>
    public static string NewKey() => "sg_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    /// <summary>Whether <paramref name="key"/> has the form <see cref="NewKey"/> gives (what an issued key must look like).</summary>
    public static bool IsIssuedForm(string key) => IssuedForm().IsMatch(key);

    /// <summary>Whether <paramref name="tenant"/> has the form of a tenant id (<see cref="TenantOf"/>).</summary>
    public static bool IsTenantForm(string tenant) => TenantForm().IsMatch(tenant);

    [GeneratedRegex("^sg_[A-Za-z0-9_-]{32}$")]
    private static partial Regex IssuedForm();

    [GeneratedRegex("^k_[0-9a-f]{24}$")]
    private static partial Regex TenantForm();
}
