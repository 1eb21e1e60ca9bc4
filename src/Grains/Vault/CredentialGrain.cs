using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Credentials;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Vault;

/// <summary>
/// One tenant's credential (key: tenant/credential id). It seals the secrets the moment they arrive and persists only
/// the sealed record; it answers descriptions and the sealed record, never plaintext. Another tenant's id is another
/// grain, so it does not exist for them.
/// </summary>
public sealed partial class CredentialGrain(
    [PersistentState("credential", StorageNames.Default)] IPersistentState<CredentialState> state,
    VaultCipher cipher,
    IOptions<VaultOptions> options,
    TimeProvider clock,
    ILogger<CredentialGrain> log) : Grain, ICredentialGrain
{
    private (string Tenant, string Id) Key => CredentialKey.Parse(this.GetPrimaryKeyString());

    private ICredentialIndexGrain Index => GrainFactory.GetGrain<ICredentialIndexGrain>(Key.Tenant);

    public async Task<CredentialReply> CreateAsync(NewCredential credential)
    {
        var (tenant, id) = Key;
        if (state.State.Sealed is not null)
        {
            return CredentialReply.Refused(CredentialRefusal.Invalid, $"credential {id} already exists");
        }

        if (CredentialRules.Problem(credential) is { } problem)
        {
            return CredentialReply.Refused(CredentialRefusal.Invalid, problem);
        }

        if (!await Index.TryAddAsync(id))
        {
            var max = options.Value.MaxCredentialsPerTenant;
            return CredentialReply.Refused(CredentialRefusal.LimitReached, $"this API key already stores {max} credentials, the most it may; delete one first");
        }

        var secret = credential.TotpSecret is { } totp ? Base32.Encode(Base32.Decode(totp)!) : null;
        var domains = credential.Domains.Select(d => CredentialRules.NormalizeDomain(d)!).Distinct(StringComparer.Ordinal).ToList();
        var info = new CredentialInfo(id, credential.Name, domains, clock.GetUtcNow().ToUnixTimeMilliseconds(), secret is not null);
        try
        {
            state.State.Sealed = cipher.Seal(tenant, info, credential with { TotpSecret = secret });
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Sealed = null;
            await Index.RemoveAsync(id);
            throw;
        }

        LogStored(tenant, id, domains.Count, info.HasTotp);
        return CredentialReply.Stored(info);
    }

    public Task<CredentialInfo?> DescribeAsync() => Task.FromResult(state.State.Sealed?.Info);

    public Task<SealedCredential?> GetSealedAsync() => Task.FromResult(state.State.Sealed);

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Sealed is null)
        {
            return false;
        }

        var (tenant, id) = Key;
        await state.ClearStateAsync();
        state.State.Sealed = null;
        await Index.RemoveAsync(id);
        LogDeleted(tenant, id);
        DeactivateOnIdle();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored credential {CredentialId} of {Tenant} ({DomainCount} domains, TOTP: {HasTotp})")]
    private partial void LogStored(string tenant, string credentialId, int domainCount, bool hasTotp);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted credential {CredentialId} of {Tenant}")]
    private partial void LogDeleted(string tenant, string credentialId);
}
