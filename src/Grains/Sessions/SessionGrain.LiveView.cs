using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Tasks;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The session's live view: a token made when the session opens (kept in its task record, so the API can render the
/// link) and checked here on every call; the screencast of the active page while someone watches; and the viewers'
/// mouse and keyboard input. Live calls interleave with the session's work, so a person can drive the page while an
/// action (a prompt_user <c>authenticate</c>) waits for them.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>The screencast stops once nobody asked for a frame for this long.</summary>
    private static readonly TimeSpan ScreencastIdleStop = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ScreencastIdleCheck = TimeSpan.FromSeconds(2);

    /// <summary>The longest frame wait a caller gets: under the grain call timeout.</summary>
    private static readonly TimeSpan MaxFrameWait = TimeSpan.FromSeconds(20);

    /// <summary>How long a frame request waits while the session's browser is still opening, or after the screencast could not start.</summary>
    private static readonly TimeSpan NoFrameYetWait = TimeSpan.FromSeconds(1);

    private string? _liveToken;
    private LiveScreencast? _screencast;
    private IGrainTimer? _screencastTimer;

    public Task<SessionReply> CheckLiveTokenAsync(string token) => Task.FromResult(LiveRefusal(token) ?? SessionReply.Ok);

    public async Task<LiveFrameReply> LiveFrameAsync(string token, long afterSeq, TimeSpan maxWait)
    {
        if (LiveRefusal(token) is { } refused)
        {
            return new LiveFrameReply(refused, null);
        }

        var wait = maxWait < TimeSpan.Zero ? TimeSpan.Zero : maxWait > MaxFrameWait ? MaxFrameWait : maxWait;
        LiveFrame? frame = null;
        var waited = false;
        if (_stage == Stage.Open)
        {
            var screencast = _screencast ??= new LiveScreencast(services.Clock);
            var (started, problem) = await screencast.WatchAsync(_page!);
            if (problem is not null)
            {
                // The page went away (the session is ending, or a script closed it): the next request starts again.
                LogScreencastFailed(SessionId, problem);
            }
            else
            {
                if (started)
                {
                    LogScreencastStarted(SessionId);
                }

                _screencastTimer ??= this.RegisterGrainTimer(StopUnwatchedScreencastAsync, new GrainTimerCreationOptions(ScreencastIdleCheck, ScreencastIdleCheck));
                frame = await screencast.NextAsync(afterSeq, wait);
                waited = true;
            }
        }

        // Still opening, or the screencast did not start: a short pause, so the viewer does not ask again at once.
        if (!waited)
        {
            await Task.Delay(wait < NoFrameYetWait ? wait : NoFrameYetWait);
        }

        // The session may have ended while the request waited.
        return new LiveFrameReply(LiveRefusal(token) ?? SessionReply.Ok, frame);
    }

    public async Task<SessionReply> LiveInputAsync(string token, LiveInput input)
    {
        if (LiveRefusal(token) is { } refused)
        {
            return refused;
        }

        if (_stage != Stage.Open)
        {
            return SessionReply.Rejected(SessionRefusal.NotOpenHere, "the session's browser is still opening");
        }

        if (LiveInputs.Problem(input) is { } problem)
        {
            return SessionReply.Rejected(SessionRefusal.Invalid, problem);
        }

        Touch();
        return await LiveInputs.TryPlayAsync(_page!, input) is not { } failed
            ? SessionReply.Ok
            : LiveRefusal(token) ?? SessionReply.Rejected(failed.PageGone ? SessionRefusal.NotOpenHere : SessionRefusal.Invalid, failed.Problem);
    }

    /// <summary>A new live-view token (32 random bytes, hex) for the session that is opening.</summary>
    private string NewLiveToken() => _liveToken = SessionTokens.New();

    /// <summary>
    /// Null when <paramref name="token"/> opens the live view now; otherwise the refusal: <c>Closed</c> or
    /// <c>NotOpenHere</c> when the session is not live here (whatever the token), <c>Forbidden</c> for a token that is
    /// not the session's. An activation that a live call made for a session not open here is not kept.
    /// </summary>
    private SessionReply? LiveRefusal(string token)
    {
        if (_stage is not (Stage.Opening or Stage.Open))
        {
            if (_stage == Stage.New)
            {
                DeactivateOnIdle();
            }

            return Refusal();
        }

        return SessionTokens.Matches(token, _liveToken)
            ? null
            : SessionReply.Rejected(SessionRefusal.Forbidden, "the live-view token is not this session's");
    }

    /// <summary>
    /// Hands the page to a person (an <c>authenticate</c> waiting for a login): the live view's link, also announced as
    /// a <c>live_view</c> task event; null when this host serves no live view.
    /// </summary>
    private async Task<string?> OfferLiveViewAsync(CancellationToken cancellationToken)
    {
        if (_liveToken is not { } token)
        {
            return null;
        }

        var url = await services.LiveViewLinks.LinkForAsync(_owner, SessionId, token, cancellationToken);
        if (url is not null)
        {
            await TaskRecord.AppendAsync(TaskEvent.Notice("live_view", SessionNotices.LiveView(url)));
        }

        return url;
    }

    private async Task StopUnwatchedScreencastAsync(CancellationToken cancellationToken)
    {
        if (_screencast is { } screencast && await screencast.StopIfUnwatchedAsync(ScreencastIdleStop))
        {
            _screencastTimer?.Dispose();
            _screencastTimer = null;
            LogScreencastStopped(SessionId);
        }
    }

    /// <summary>The session ends: waiting frame requests learn it, and the screencast stops before the context closes.</summary>
    private async Task EndLiveViewAsync()
    {
        _screencastTimer?.Dispose();
        _screencastTimer = null;
        if (_screencast is { } screencast)
        {
            await screencast.EndAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: the live view's screencast started on the session's page")]
    private partial void LogScreencastStarted(string sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: the live view's screencast stopped, nobody watches")]
    private partial void LogScreencastStopped(string sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: the live view's screencast could not run: {Reason}")]
    private partial void LogScreencastFailed(string sessionId, string reason);
}
