using SessionGrid.Contracts.Credentials;

namespace SessionGrid.Grains.Vault;

/// <summary>The persisted form of a credential: its sealed record only (no plaintext is ever stored).</summary>
[GenerateSerializer, Alias("sg.CredentialState")]
public sealed class CredentialState
{
    [Id(0)] public SealedCredential? Sealed { get; set; }
}

/// <summary>The persisted credential index of a tenant: ids, oldest first.</summary>
[GenerateSerializer, Alias("sg.CredentialIndexState")]
public sealed class CredentialIndexState : Tenants.IIdList
{
    [Id(0)] public List<string> Ids { get; set; } = [];
}
