namespace SessionGrid.Contracts.Tenants;

/// <summary>One API tenant (key: tenant id): the index of its tasks, for listing newest first.</summary>
[Alias("sg.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Adds a task to the index and returns its creation time (Unix ms), strictly increasing per tenant.</summary>
    [Alias("AddTask")]
    Task<long> AddTaskAsync(string taskId, string dialect);

    /// <summary>
    /// Ids of the tasks created through <paramref name="dialect"/> strictly before <paramref name="before"/> (all when
    /// null), newest first, at most <paramref name="limit"/>.
    /// </summary>
    [Alias("ListTasks")]
    Task<IReadOnlyList<string>> ListTasksAsync(string dialect, long? before, int limit);

    /// <summary>
    /// The tasks of every dialect (or of <paramref name="dialect"/> when set) created strictly before
    /// <paramref name="before"/> (all when null), newest first, at most <paramref name="limit"/>, with each one's
    /// dialect and creation time: the console's all-dialect list.
    /// </summary>
    [Alias("ListIndex")]
    Task<IReadOnlyList<IndexedTask>> ListIndexAsync(string? dialect, long? before, int limit);
}

/// <summary>One entry of a tenant's task index: the task, the dialect that created it, its creation time (Unix ms).</summary>
[GenerateSerializer, Alias("sg.IndexedTask")]
public sealed record IndexedTask([property: Id(0)] string Id, [property: Id(1)] string Dialect, [property: Id(2)] long CreatedAt);
