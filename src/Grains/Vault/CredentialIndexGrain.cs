using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Credentials;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Vault;

/// <summary>A tenant's credential ids (key: tenant): what listing reads and where the per-tenant limit holds.</summary>
public sealed class CredentialIndexGrain(
    [PersistentState("credentials", StorageNames.Default)] IPersistentState<CredentialIndexState> state,
    IOptions<VaultOptions> options) : Grain, ICredentialIndexGrain
{
    public async Task<bool> TryAddAsync(string credentialId)
    {
        if (state.State.Ids.Count >= options.Value.MaxCredentialsPerTenant)
        {
            return false;
        }

        state.State.Ids.Add(credentialId);
        await state.WriteStateAsync();
        return true;
    }

    public async Task RemoveAsync(string credentialId)
    {
        if (state.State.Ids.Remove(credentialId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);
}
