using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Tasks;

namespace SessionGrid.Grains.Sessions;

/// <summary>What a profile-backed session keeps so another node can bring it back: how it was opened and its last URL.</summary>
[GenerateSerializer, Alias("sg.SessionRestoreState")]
public sealed class SessionRestoreState
{
    [Id(0)] public SessionSpec? Spec { get; set; }

    [Id(1)] public string? LastUrl { get; set; }
}

/// <summary>
/// Surviving the loss of a node. Every open session is listed with its node (<see cref="IHostedSessionsGrain"/>), so
/// the cluster ends its task as soon as the node is declared dead. A profile-backed session is kept instead: its
/// spec and last URL are persisted, and on its next use the grain, activated on another node, opens a new context
/// from the profile, goes back to that URL and records <c>session_restored</c> before it takes the request.
/// </summary>
public sealed partial class SessionGrain
{
    private IHostedSessionsGrain HostedHere => GrainFactory.GetGrain<IHostedSessionsGrain>(HostedSessionsGrain.KeyOf(silo.SiloAddress));

    /// <summary>
    /// A session that starts from a profile and is not a one-shot task can be restored elsewhere, unless its spec holds
    /// a secret (a proxy's credentials), which is never written to the store.
    /// </summary>
    private static bool IsRestorable(SessionSpec spec) => spec.Profile is not null && spec.Agent is null && !spec.Extras.HoldsSecrets;

    /// <summary>Lists the just-opened session with its node, and keeps a restorable one's spec.</summary>
    private async Task RememberForRestoreAsync(SessionSpec spec)
    {
        await HostedHere.AddAsync(SessionId);
        if (IsRestorable(spec))
        {
            restore.State.Spec = spec with { StartUrl = null };
            await restore.WriteStateAsync();
        }
    }

    /// <summary>Forgets the session on its node and its restore record (it ended here).</summary>
    private async Task ForgetRestoreAsync()
    {
        await HostedHere.RemoveAsync(SessionId);
        if (restore.State.Spec is not null)
        {
            await ClearRestoreAsync();
        }
    }

    private async Task ClearRestoreAsync()
    {
        await restore.ClearStateAsync();
        restore.State = new SessionRestoreState();
    }

    /// <summary>Keeps a restorable session's current URL, when it changed, after each command.</summary>
    private async Task CheckpointUrlAsync()
    {
        if (restore.State.Spec is null || _page?.Url is not { } url)
        {
            return;
        }

        if (url != restore.State.LastUrl && url.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            restore.State.LastUrl = url;
            await restore.WriteStateAsync();
        }
    }

    /// <summary>
    /// When this activation finds a restorable session that is not open here (its node was lost), opens it again:
    /// the profile's state in a new context, back at its last URL, with a <c>session_restored</c> event.
    /// </summary>
    private async Task RestoreIfLostAsync()
    {
        if (_stage != Stage.New || restore.State.Spec is not { } spec)
        {
            return;
        }

        // A spec kept before sessions had browser extras reads back without them.
        spec = spec with { Extras = spec.Extras ?? BrowserExtras.None };

        var task = await TaskRecord.GetAsync(0, includeEvents: false);
        if (task is null || task.Phase.IsFinished())
        {
            await ClearRestoreAsync();
            return;
        }

        // The links it handed out stay valid: the same live-view token, and for a dedicated browser the same CDP token.
        _liveToken = task.LiveToken;
        _isolation = spec.Isolation;
        _cdpToken = task.CdpToken;
        var (refused, storageState, slot) = await ReserveAsync(spec);
        if (refused is not null)
        {
            var reason = $"{SessionEndReasons.SessionLost}: the session's node was lost and it could not be restored: {refused.Reason}";
            await ClearRestoreAsync();
            await TaskRecord.FinishAsync(TaskPhase.Failed, null, reason,
                [TaskEvent.Notice("session_closed", SessionNotices.Closed(SessionEndReasons.SessionLost, reason))]);
            return;
        }

        PrepareMailbox(spec);
        if (!await StartAsync(spec, storageState, slot, restoring: true))
        {
            return;
        }

        var url = restore.State.LastUrl;
        var back = url is null ? null : await _work!.RunActionAsync(new NavigateAction(url));
        await TaskRecord.RestoredAsync(silo.SiloAddress, TaskEvent.Notice("session_restored", new JsonObject
        {
            ["url"] = url,
            ["node"] = silo.Name,
            ["navigated"] = back?.Ok ?? false,
        }.ToJsonString()));
        LogRestored(SessionId, silo.Name, url is not null);
    }

    /// <summary>A session closed or cancelled while it is not open anywhere: its profile lock and restore record go too.</summary>
    private async Task AbandonNotOpenAsync()
    {
        if (restore.State.Spec is { Profile: { } profile })
        {
            _owner = restore.State.Spec.Owner;
            await ProfileOf(profile).ReleaseAsync(SessionId);
            await ClearRestoreAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} was restored on node {Node} (back at its last URL: {Navigated})")]
    private partial void LogRestored(string sessionId, string node, bool navigated);
}
