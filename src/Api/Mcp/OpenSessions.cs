using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// A tenant's open sessions, as the MCP server lists them (<c>session_list</c>, <c>resources/list</c>): the Task API
/// sessions among its newest <see cref="Scanned"/> tasks that wait or run, each with its page's URL and title.
/// </summary>
public static class OpenSessions
{
    /// <summary>How many of the tenant's newest tasks are looked through (sessions end after their idle timeout, so open ones are recent).</summary>
    public const int Scanned = 128;

    public static async Task<IReadOnlyList<(TaskSnapshot Task, SessionInfo Page)>> ListAsync(IGrainFactory grains, string tenant)
    {
        var ids = await grains.GetGrain<ITenantGrain>(tenant).ListTasksAsync(Dialects.TaskApi, null, Scanned);
        var tasks = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: false)));
        var open = tasks.OfType<TaskSnapshot>().Where(t => t.Kind == TaskKind.Session && t.Owner == tenant && !t.Phase.IsFinished()).ToList();
        var pages = await Task.WhenAll(open.Select(t => grains.GetGrain<ISessionGrain>(t.Id).DescribePageAsync()));
        return [.. open.Zip(pages)];
    }
}
