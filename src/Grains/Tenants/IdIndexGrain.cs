namespace SessionGrid.Grains.Tenants;

/// <summary>A persisted list of ids, oldest first (what an <see cref="IdIndexGrain{TState}"/> keeps).</summary>
public interface IIdList
{
    List<string> Ids { get; }
}

/// <summary>
/// A tenant's ids of one kind of record (credentials, profiles), oldest first: what listing reads and where the
/// per-tenant limit holds.
/// </summary>
public abstract class IdIndexGrain<TState>(IPersistentState<TState> state, Func<int> maxIds) : Grain
    where TState : IIdList
{
    public async Task<bool> TryAddAsync(string id)
    {
        if (state.State.Ids.Count >= maxIds())
        {
            return false;
        }

        state.State.Ids.Add(id);
        await state.WriteStateAsync();
        return true;
    }

    public async Task RemoveAsync(string id)
    {
        if (state.State.Ids.Remove(id))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);
}
