using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Tenants;

/// <summary>
/// A tenant's task index. Creation times are Unix ms and strictly increasing per tenant, so the list cursor
/// "created before t" pages through every task exactly once.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Default)] IPersistentState<TenantState> state,
    TimeProvider clock) : Grain, ITenantGrain
{
    public async Task<long> AddTaskAsync(string taskId, string dialect)
    {
        var index = state.State;
        while (index.Dialects.Count < index.TaskIds.Count)
        {
            index.Dialects.Add(Dialects.TaskApi);
        }

        var last = index.CreatedAt.Count > 0 ? index.CreatedAt[^1] : 0;
        var createdAt = Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), last + 1);
        index.CreatedAt.Add(createdAt);
        index.TaskIds.Add(taskId);
        index.Dialects.Add(dialect);
        await state.WriteStateAsync();
        return createdAt;
    }

    public Task<IReadOnlyList<string>> ListTasksAsync(string dialect, long? before, int limit) =>
        Task.FromResult<IReadOnlyList<string>>([.. Page(dialect, before, limit).Select(t => t.Id)]);

    public Task<IReadOnlyList<IndexedTask>> ListIndexAsync(string? dialect, long? before, int limit) =>
        Task.FromResult(Page(dialect, before, limit));

    /// <summary>Newest first, before the cursor, of one dialect or (null) of all.</summary>
    private IReadOnlyList<IndexedTask> Page(string? dialect, long? before, int limit)
    {
        var index = state.State;
        var end = before is { } cursor ? LowerBound(index.CreatedAt, cursor) : index.CreatedAt.Count;
        var page = new List<IndexedTask>(Math.Min(limit, end));
        for (var i = end - 1; i >= 0 && page.Count < limit; i--)
        {
            var entryDialect = i < index.Dialects.Count ? index.Dialects[i] : Dialects.TaskApi;
            if (dialect is null || entryDialect == dialect)
            {
                page.Add(new IndexedTask(index.TaskIds[i], entryDialect, index.CreatedAt[i]));
            }
        }

        return page;
    }

    /// <summary>The index of the first element not less than <paramref name="value"/>.</summary>
    private static int LowerBound(List<long> sorted, long value)
    {
        var index = sorted.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }
}
