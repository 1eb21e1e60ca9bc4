using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Tenants;

/// <summary>
/// A tenant's session claims (key: tenant), checked against the records they name. Claims are an upper bound of the
/// open sessions: while a new claim fits beside all of them it is recorded without a look; when it would not, each
/// claim's task record (or browsing task) is read and the ended ones are dropped. The records know every way a session
/// ends (closed, cancelled, idle timeout, crashed browser, lost host), so no ending is missed and nothing leaks.
/// Calls run one at a time, so two opens at once cannot both take the last place.
/// </summary>
public sealed class OpenSessionsGrain(
    [PersistentState("opensessions", StorageNames.Default)] IPersistentState<OpenSessionsState> state,
    TimeProvider clock) : Grain, IOpenSessionsGrain
{
    /// <summary>How long a claim whose record does not exist yet counts (its open is under way).</summary>
    public static readonly TimeSpan OpeningGrace = TimeSpan.FromMinutes(1);

    private List<OpenSessionsState.Entry> Claims => state.State.Claims;

    public async Task<bool> TryClaimAsync(SessionClaim claim, int limit)
    {
        if (Claims.Any(c => c.Claim.Id == claim.Id))
        {
            return true;
        }

        if (Weight() + claim.Weight > limit)
        {
            await DropEndedAsync();
            if (Weight() + claim.Weight > limit)
            {
                return false;
            }
        }

        Claims.Add(new OpenSessionsState.Entry(claim, clock.GetUtcNow().ToUnixTimeMilliseconds()));
        await state.WriteStateAsync();
        return true;
    }

    public async Task ReleaseAsync(string id)
    {
        if (Claims.RemoveAll(c => c.Claim.Id == id) > 0)
        {
            await state.WriteStateAsync();
        }
    }

    private int Weight() => Claims.Sum(c => c.Claim.Weight);

    private async Task DropEndedAsync()
    {
        var open = await Task.WhenAll(Claims.Select(IsOpenAsync));
        var ended = Claims.Where((_, i) => !open[i]).ToList();
        if (ended.Count > 0)
        {
            Claims.RemoveAll(ended.Contains);
            await state.WriteStateAsync();
        }
    }

    /// <summary>Whether the claim's record still waits or runs; a record not created yet counts for <see cref="OpeningGrace"/>.</summary>
    private async Task<bool> IsOpenAsync(OpenSessionsState.Entry entry)
    {
        bool? finished = entry.Claim.Kind switch
        {
            SessionClaimKind.BrowsingTask => (await GrainFactory.GetGrain<IBrowsingTaskGrain>(entry.Claim.Id).StatusAsync())?.Finished,
            _ => (await GrainFactory.GetGrain<ITaskGrain>(entry.Claim.Id).GetAsync(0, includeEvents: false))?.Phase.IsFinished(),
        };
        return finished is null
            ? clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(entry.ClaimedAt) < OpeningGrace
            : !finished.Value;
    }
}
