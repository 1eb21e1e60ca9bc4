namespace SessionGrid.Contracts.Credentials;

/// <summary>
/// One stored login of a tenant (key: <see cref="CredentialKey.Of"/>, the tenant and the credential id). It keeps
/// the username, password and TOTP secret only as AES-GCM ciphertext; nothing it answers holds plaintext. The action
/// that logs in gets the sealed record and opens it in its own silo.
/// </summary>
[Alias("sg.ICredentialGrain")]
public interface ICredentialGrain : IGrainWithStringKey
{
    /// <summary>Seals and stores a new credential; refused when the tenant already holds as many as it may.</summary>
    [Alias("Create")]
    Task<CredentialReply> CreateAsync(NewCredential credential);

    /// <summary>What the credential is (no secret); null when there is none under this key.</summary>
    [Alias("Describe")]
    Task<CredentialInfo?> DescribeAsync();

    /// <summary>The sealed record for the action that logs in; null when there is none under this key.</summary>
    [Alias("GetSealed")]
    Task<SealedCredential?> GetSealedAsync();

    /// <summary>Deletes the credential; false when there was none.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();
}

/// <summary>A tenant's credential ids in creation order (key: tenant), for listing and the per-tenant limit.</summary>
[Alias("sg.ICredentialIndexGrain")]
public interface ICredentialIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds an id unless the tenant already holds the most it may; false when full.</summary>
    [Alias("TryAdd")]
    Task<bool> TryAddAsync(string credentialId);

    [Alias("Remove")]
    Task RemoveAsync(string credentialId);

    /// <summary>The ids, oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}

/// <summary>The grain key of a tenant's credential.</summary>
public static class CredentialKey
{
    public static string Of(string tenant, string credentialId) => $"{tenant}/{credentialId}";

    public static (string Tenant, string CredentialId) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash > 0 ? (key[..slash], key[(slash + 1)..]) : throw new ArgumentException($"'{key}' is not a credential key", nameof(key));
    }
}
