using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Credentials;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Tenants;

namespace SessionGrid.Grains.Vault;

/// <summary>A tenant's credential ids (key: tenant): what listing reads and where the per-tenant limit holds.</summary>
public sealed class CredentialIndexGrain(
    [PersistentState("credentials", StorageNames.Default)] IPersistentState<CredentialIndexState> state,
    IOptions<VaultOptions> options) : IdIndexGrain<CredentialIndexState>(state, () => options.Value.MaxCredentialsPerTenant), ICredentialIndexGrain;
