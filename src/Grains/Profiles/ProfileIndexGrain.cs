using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Profiles;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Tenants;

namespace SessionGrid.Grains.Profiles;

/// <summary>A tenant's profile ids (key: tenant): what listing reads and where the per-tenant limit holds.</summary>
public sealed class ProfileIndexGrain(
    [PersistentState("profiles", StorageNames.Default)] IPersistentState<ProfileIndexState> state,
    IOptions<ProfileOptions> options) : IdIndexGrain<ProfileIndexState>(state, () => options.Value.MaxProfilesPerTenant), IProfileIndexGrain;
