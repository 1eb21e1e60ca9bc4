using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Profiles;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Profiles;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// A session's profile: checked out when the session opens (its storage state is the context's starting state),
/// saved back every <see cref="ProfileOptions.SaveIntervalSeconds"/> while the session lives and once more when it
/// ends, unless the session is read-only. A state that did not change since the last save is not sent again.
/// </summary>
public sealed partial class SessionGrain
{
    private static readonly TimeSpan CaptureTimeout = TimeSpan.FromSeconds(5);
    private ProfileUse? _profile;
    private string? _savedState;
    private bool _profileTooLargeReported;
    private IGrainTimer? _profileTimer;

    private IProfileGrain ProfileOf(ProfileUse use) => GrainFactory.GetGrain<IProfileGrain>(ProfileKey.Of(_owner, use.ProfileId));

    /// <summary>Takes the profile for this session; the refusal when it is unknown or another running session writes to it.</summary>
    private async Task<(SessionReply? Refused, string? StorageState)> CheckOutProfileAsync(ProfileUse use)
    {
        var checkout = await ProfileOf(use).CheckOutAsync(SessionId, use.ReadOnly);
        switch (checkout.Refusal)
        {
            case ProfileRefusal.None:
                _profile = use;
                _savedState = checkout.StorageState;
                return (null, checkout.StorageState);
            case ProfileRefusal.Busy:
                return (SessionReply.Rejected(SessionRefusal.Conflict,
                    $"profile '{use.ProfileId}' is in use by another running session that saves to it; close that session first, or open this one read-only"), null);
            default:
                return (SessionReply.Rejected(SessionRefusal.NotFound, $"profile '{use.ProfileId}' was not found"), null);
        }
    }

    /// <summary>Starts the periodic saves of a writing session.</summary>
    private void StartProfileSaves()
    {
        if (_profile is { ReadOnly: false })
        {
            var period = TimeSpan.FromSeconds(Math.Max(1, services.Profiles.SaveIntervalSeconds));
            _profileTimer = this.RegisterGrainTimer(_ => _stage == Stage.Open ? SaveProfileAsync(_lease, final: false) : Task.CompletedTask,
                new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        }
    }

    /// <summary>
    /// Saves the context's state to the profile when it changed; with <paramref name="final"/> also gives up the write
    /// lock (without a save when the browser is already gone). Never throws: a failed save is logged, and a state too
    /// large to keep is reported once as a <c>profile_not_saved</c> event.
    /// </summary>
    private async Task SaveProfileAsync(BrowserLease? lease, bool final)
    {
        if (_profile is not { ReadOnly: false } use)
        {
            return;
        }

        if (final)
        {
            _profileTimer?.Dispose();
        }

        try
        {
            var current = lease is null ? null : await lease.CaptureStateAsync(CaptureTimeout);
            if (current is null || current == _savedState)
            {
                if (final)
                {
                    await ProfileOf(use).ReleaseAsync(SessionId);
                }

                return;
            }

            var refusal = await ProfileOf(use).SaveAsync(SessionId, current, release: final);
            if (refusal == ProfileRefusal.None)
            {
                _savedState = current;
            }
            else if (refusal == ProfileRefusal.TooLarge && !_profileTooLargeReported)
            {
                _profileTooLargeReported = true;
                var limit = services.Profiles.MaxStateBytes;
                await TaskRecord.AppendAsync(TaskEvent.Notice("profile_not_saved", new JsonObject
                {
                    ["profile_id"] = use.ProfileId,
                    ["reason"] = $"the browser state is larger than the {limit} bytes a profile may hold",
                }.ToJsonString()));
            }
        }
        catch (Exception ex)
        {
            LogProfileSaveFailed(ex, SessionId, use.ProfileId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} could not save its profile {ProfileId}")]
    private partial void LogProfileSaveFailed(Exception ex, string sessionId, string profileId);
}
