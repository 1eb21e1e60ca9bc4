using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Tasks;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// What a session needs before it opens: its profile (checked out) and its share of its silo's browser capacity
/// (<see cref="SessionSlots"/>), taken before its context opens and given back when it ends. With every context taken
/// the session waits (task <c>waiting</c>) in the silo's bounded queue; with the queue full too its open is refused,
/// and nothing is created. A session that never got a browser ends here.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>
    /// The session's profile (checked out) and its place in this silo's capacity, before its task record. A refusal
    /// leaves nothing behind: the grain goes back to new and deactivates.
    /// </summary>
    private async Task<(SessionReply? Refused, string? StorageState, SlotEntry Slot)> ReserveAsync(SessionSpec spec)
    {
        _stage = Stage.Opening;
        _owner = spec.Owner;
        string? storageState = null;
        if (spec.Profile is { } profile)
        {
            (var refused, storageState) = await CheckOutProfileAsync(profile);
            if (refused is not null)
            {
                _stage = Stage.New;
                DeactivateOnIdle();
                return (refused, null, SlotEntry.Refused);
            }
        }

        var slot = services.Slots.Enter(SessionId);
        if (slot == SlotEntry.Refused)
        {
            await SaveProfileAsync(null, final: true);
            _stage = Stage.New;
            DeactivateOnIdle();
            var limits = services.BrowserLimits;
            return (SessionReply.Rejected(SessionRefusal.LimitReached, services.Slots.Draining
                ? $"this node is draining (being stopped) and no other node could take the session; {limits.MaxQueuedSessions} sessions already wait; retry later"
                : $"every browser of this node is busy ({limits.MaxContexts} sessions) and {limits.MaxQueuedSessions} more already wait; retry later"), null, slot);
        }

        return (null, storageState, slot);
    }

    /// <summary>Ends a session that waited the whole queue timeout without a context: its task fails with <c>no_capacity</c>.</summary>
    private async Task NoCapacityAsync()
    {
        _stage = Stage.Ended;
        await SaveProfileAsync(null, final: true);
        var detail = services.Slots.Draining
            ? $"{SessionEndReasons.NoCapacity}: the session waited on a draining node (being stopped) and no other node had room for it; retry later"
            : $"{SessionEndReasons.NoCapacity}: no browser became free within {services.BrowserLimits.QueueTimeoutSeconds} seconds";
        await FinishAsync(TaskPhase.Failed, SessionEndReasons.NoCapacity, detail);
    }

    /// <summary>Ends a session whose browser could not be opened: its task fails with <c>browser_unavailable</c>.</summary>
    private async Task BrowserUnavailableAsync(string why)
    {
        _stage = Stage.Ended;
        services.Slots.Leave(SessionId);
        await SaveProfileAsync(null, final: true);
        await ForgetRestoreAsync();
        await FinishAsync(TaskPhase.Failed, SessionEndReasons.BrowserUnavailable, why, error: $"{SessionEndReasons.BrowserUnavailable}: {why}");
    }
}
