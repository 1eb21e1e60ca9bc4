using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// Leaving a draining node without losing the session: a profile-backed session gives its browser up here (the profile
/// saved and released, the restore record kept, as a lost node would leave it) and deactivates; the drainer's
/// <see cref="ResumeAsync"/> then activates it on another node, which restores it (<c>session_restored</c>) at once
/// instead of on its next use. Commands that arrive meanwhile go to the new activation.
/// </summary>
public sealed partial class SessionGrain
{
    public async Task<bool> HandOverAsync(bool force)
    {
        if (_stage != Stage.Open || restore.State.Spec is null || (!force && _mailbox!.Busy))
        {
            return false;
        }

        _stage = Stage.Moved;
        await ReleaseBrowserAsync();
        await HostedHere.RemoveAsync(SessionId);

        // A forced hand-over interrupted what ran: its sender hears so now; the session itself goes on elsewhere.
        foreach (var answer in await OwedAnswersAsync(closing: null, fromPump: false))
        {
            await TaskRecord.AppendAsync(answer);
        }

        LogHandedOver(SessionId, silo.Name);
        DeactivateOnIdle();
        return true;
    }

    public async Task<SessionInfo> ResumeAsync()
    {
        await RestoreIfLostAsync();
        if (_stage == Stage.New)
        {
            DeactivateOnIdle();
        }

        return await DescribeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} was handed over by draining node {Node}")]
    private partial void LogHandedOver(string sessionId, string node);
}
