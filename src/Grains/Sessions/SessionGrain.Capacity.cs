using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Tasks;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// A session's share of its silo's browser capacity (<see cref="SessionSlots"/>): taken before its context opens,
/// given back when it ends. With every context taken the session waits (task <c>waiting</c>) in the silo's bounded
/// queue; with the queue full too its open is refused, and nothing is created.
/// </summary>
public sealed partial class SessionGrain
{
    private SessionSlots Slots => ServiceProvider.GetRequiredService<SessionSlots>();

    private BrowserOptions BrowserLimits => ServiceProvider.GetRequiredService<IOptions<BrowserOptions>>().Value;

    private SessionReply QueueFull() => SessionReply.Rejected(SessionRefusal.LimitReached,
        $"every browser of this node is busy ({BrowserLimits.MaxContexts} sessions) and {BrowserLimits.MaxQueuedSessions} more already wait; retry later");

    /// <summary>Ends a session that waited the whole queue timeout without a context: its task fails with <c>no_capacity</c>.</summary>
    private async Task NoCapacityAsync()
    {
        _stage = Stage.Ended;
        await SaveProfileAsync(null, final: true);
        var detail = $"{SessionEndReasons.NoCapacity}: no browser became free within {BrowserLimits.QueueTimeoutSeconds} seconds";
        await TaskRecord.FinishAsync(TaskPhase.Failed, null, detail,
            [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.NoCapacity, detail))]);
        DeactivateOnIdle();
    }
}
