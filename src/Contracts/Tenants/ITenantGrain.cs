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
}
