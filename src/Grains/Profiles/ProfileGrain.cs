using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Profiles;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Profiles;

/// <summary>
/// One tenant's browser profile (key: tenant/profile id): the storage state sessions start from and save back to,
/// and the write lock that lets one running session at a time save. A lock whose session ended, or whose host died
/// (its task record reads finished), is stale and taken over, so a lost host never locks a profile for good.
/// </summary>
public sealed partial class ProfileGrain(
    [PersistentState("profile", StorageNames.Default)] IPersistentState<ProfileState> state,
    IOptions<ProfileOptions> options,
    TimeProvider clock,
    ILogger<ProfileGrain> log) : Grain, IProfileGrain
{
    /// <summary>How long a lock may be held by a session whose task record does not exist yet (it is being opened).</summary>
    private static readonly TimeSpan OpeningGrace = TimeSpan.FromSeconds(30);

    private ProfileState Profile => state.State;

    private (string Tenant, string Id) Key => ProfileKey.Parse(this.GetPrimaryKeyString());

    private IProfileIndexGrain Index => GrainFactory.GetGrain<IProfileIndexGrain>(Key.Tenant);

    public async Task<ProfileRefusal> CreateAsync()
    {
        if (Profile.Exists)
        {
            return ProfileRefusal.Exists;
        }

        if (!await Index.TryAddAsync(Key.Id))
        {
            return ProfileRefusal.LimitReached;
        }

        state.State = new ProfileState { Exists = true, CreatedAt = NowMs() };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new ProfileState();
            await Index.RemoveAsync(Key.Id);
            throw;
        }

        return ProfileRefusal.None;
    }

    public Task<ProfileInfo?> DescribeAsync() => Task.FromResult(Profile.Exists
        ? new ProfileInfo(Key.Id, [.. Profile.CookieDomains], Profile.CookieCount, SizeOf(Profile.StorageState), Profile.CreatedAt, Profile.LastSavedAt)
        : null);

    public async Task<ProfileCheckout> CheckOutAsync(string sessionId, bool readOnly)
    {
        if (!Profile.Exists)
        {
            return new ProfileCheckout(ProfileRefusal.NotFound, null);
        }

        if (!readOnly)
        {
            if (await WriterRunningAsync() && Profile.Writer != sessionId)
            {
                return new ProfileCheckout(ProfileRefusal.Busy, null);
            }

            Profile.Writer = sessionId;
            Profile.WriterSince = NowMs();
            await state.WriteStateAsync();
        }

        return new ProfileCheckout(ProfileRefusal.None, Profile.StorageState);
    }

    public async Task<ProfileRefusal> SaveAsync(string sessionId, string storageState, bool release)
    {
        if (!Profile.Exists)
        {
            return ProfileRefusal.NotFound;
        }

        if (Profile.Writer != sessionId)
        {
            return ProfileRefusal.NotWriter;
        }

        var refusal = ProfileRefusal.None;
        if (SizeOf(storageState) > options.Value.MaxStateBytes)
        {
            refusal = ProfileRefusal.TooLarge;
        }
        else if (Summarize(storageState) is { } summary)
        {
            Profile.StorageState = storageState;
            Profile.CookieDomains = summary.Domains;
            Profile.CookieCount = summary.Count;
            Profile.LastSavedAt = NowMs();
        }
        else
        {
            throw new ArgumentException("The state to save is not a storage state (a JSON object with a cookies array).", nameof(storageState));
        }

        if (release)
        {
            Profile.Writer = null;
        }

        if (refusal == ProfileRefusal.None || release)
        {
            await state.WriteStateAsync();
        }

        LogSaved(Key.Tenant, Key.Id, sessionId, refusal, release);
        return refusal;
    }

    public async Task ReleaseAsync(string sessionId)
    {
        if (Profile.Exists && Profile.Writer == sessionId)
        {
            Profile.Writer = null;
            await state.WriteStateAsync();
        }
    }

    public async Task<ProfileRefusal> DeleteAsync()
    {
        if (!Profile.Exists)
        {
            return ProfileRefusal.NotFound;
        }

        if (await WriterRunningAsync())
        {
            return ProfileRefusal.Busy;
        }

        await state.ClearStateAsync();
        state.State = new ProfileState();
        await Index.RemoveAsync(Key.Id);
        DeactivateOnIdle();
        return ProfileRefusal.None;
    }

    /// <summary>Whether a session holds the write lock and still runs; a stale lock is dropped.</summary>
    private async Task<bool> WriterRunningAsync()
    {
        if (Profile.Writer is not { } writer)
        {
            return false;
        }

        var task = await GrainFactory.GetGrain<ITaskGrain>(writer).GetAsync(0, includeEvents: false);
        var running = task is null
            ? clock.GetUtcNow().ToUnixTimeMilliseconds() - Profile.WriterSince < OpeningGrace.TotalMilliseconds
            : !task.Phase.IsFinished();
        if (!running)
        {
            Profile.Writer = null;
        }

        return running;
    }

    /// <summary>The cookie domains (sorted, without a leading dot) and cookie count of a storage state; null when it is not one.</summary>
    private static (List<string> Domains, int Count)? Summarize(string storageState)
    {
        try
        {
            if (JsonNode.Parse(storageState)?["cookies"] is not JsonArray cookies)
            {
                return null;
            }

            var domains = cookies
                .Select(c => (c?["domain"] as JsonValue)?.TryGetValue<string>(out var d) == true ? d.TrimStart('.') : null)
                .OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Order(StringComparer.Ordinal)
                .ToList();
            return (domains, cookies.Count);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static long SizeOf(string? storageState) => storageState is null ? 0 : Encoding.UTF8.GetByteCount(storageState);

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Profile {ProfileId} of {Tenant}: session {SessionId} saved ({Refusal}), released: {Released}")]
    private partial void LogSaved(string tenant, string profileId, string sessionId, ProfileRefusal refusal, bool released);
}
