namespace SessionGrid.Contracts.Profiles;

/// <summary>
/// One tenant's browser profile (key: <see cref="ProfileKey.Of"/>, the tenant and the profile id): the storage state
/// (cookies and localStorage) that sessions opened with it start from and save back to. One writing session at a time;
/// read-only sessions may overlap with it and with each other. Another tenant's id is another grain, so it does not exist for them.
/// </summary>
[Alias("sg.IProfileGrain")]
public interface IProfileGrain : IGrainWithStringKey
{
    /// <summary>Creates the (empty) profile; refused when it exists or the tenant holds as many as it may.</summary>
    [Alias("Create")]
    Task<ProfileRefusal> CreateAsync();

    /// <summary>What the profile holds (no cookie values); null when there is none under this key.</summary>
    [Alias("Describe")]
    Task<ProfileInfo?> DescribeAsync();

    /// <summary>
    /// Hands session <paramref name="sessionId"/> the saved state. A writing session also takes the profile's write
    /// lock: refused (<see cref="ProfileRefusal.Busy"/>) while another session that is still running holds it.
    /// </summary>
    [Alias("CheckOut")]
    Task<ProfileCheckout> CheckOutAsync(string sessionId, bool readOnly);

    /// <summary>
    /// Saves the writing session's storage state (Playwright's JSON), and with <paramref name="release"/> gives up the
    /// lock. Refused when <paramref name="sessionId"/> does not hold the lock or the state is larger than allowed.
    /// </summary>
    [Alias("Save")]
    Task<ProfileRefusal> SaveAsync(string sessionId, string storageState, bool release);

    /// <summary>Gives up the write lock without saving (a session whose browser is gone); nothing when it does not hold it.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string sessionId);

    /// <summary>Deletes the profile; refused while a running session writes to it.</summary>
    [Alias("Delete")]
    Task<ProfileRefusal> DeleteAsync();
}

/// <summary>A tenant's profile ids in creation order (key: tenant), for listing and the per-tenant limit.</summary>
[Alias("sg.IProfileIndexGrain")]
public interface IProfileIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds an id unless the tenant already holds the most it may; false when full.</summary>
    [Alias("TryAdd")]
    Task<bool> TryAddAsync(string profileId);

    [Alias("Remove")]
    Task RemoveAsync(string profileId);

    /// <summary>The ids, oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}
