using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Http;

/// <summary>
/// A task record as a caller may see it: its own, and of the dialect the front end drives. Anything else (no such
/// task, another key's, another dialect's) reads as absent, so a caller never learns whether someone else's id exists.
/// </summary>
public static class OwnedTasks
{
    /// <summary>The longest task id looked up; a longer one names no task.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The task <paramref name="taskId"/> when <paramref name="tenant"/> owns it and <paramref name="dialect"/> created it; else null.</summary>
    public static async Task<TaskSnapshot?> FindAsync(
        IGrainFactory grains, string tenant, string dialect, string taskId, long eventsAfter = 0, bool includeEvents = false)
    {
        if (taskId.Length is 0 or > MaxIdLength)
        {
            return null;
        }

        var task = await grains.GetGrain<ITaskGrain>(taskId).GetAsync(eventsAfter, includeEvents);
        return task is not null && task.Dialect == dialect && task.Owner == tenant ? task : null;
    }
}
