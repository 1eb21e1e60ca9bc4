using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SessionGrid.Contracts.Actions;
using SessionGrid.Grains.Actions;

namespace SessionGrid.Grains.Telemetry;

/// <summary>
/// One browser action's telemetry: a span named by the action type with the session and task ids, and a logging
/// scope with the same ids for every log line written while it runs; finished with the outcome, which also goes to
/// the action duration histogram.
/// </summary>
public sealed class ActionTelemetry : IDisposable
{
    private static readonly Func<ILogger, string, string, string, IDisposable?> LogScope =
        LoggerMessage.DefineScope<string, string, string>("session {SessionId}, task {TaskId}, action {ActionType}");

    private readonly Activity? _span;
    private readonly IDisposable? _logScope;

    private ActionTelemetry(Activity? span, IDisposable? logScope)
    {
        _span = span;
        _logScope = logScope;
    }

    public static ActionTelemetry Start(ILogger log, BrowserAction action, ActionScope scope)
    {
        // A session's task record has the session's id: the task id a client of the Task API or Browser Session API knows.
        KeyValuePair<string, object?>[] ids =
        [
            new(SessionGridTelemetry.SessionId, scope.SessionId),
            new(SessionGridTelemetry.TaskId, scope.SessionId),
            new(SessionGridTelemetry.ActionType, action.Type),
        ];
        var span = SessionGridTelemetry.Source.StartActivity(action.Type, ActivityKind.Internal, parentContext: default, ids);
        return new ActionTelemetry(span, LogScope(log, scope.SessionId, scope.SessionId, action.Type));
    }

    public void Finish(ActionOutcome outcome)
    {
        var name = SessionGridMetrics.Outcome(outcome.Status);
        SessionGridMetrics.ActionFinished(outcome.Action, outcome.Status, outcome.DurationMs);
        if (_span is not null)
        {
            _span.SetTag(SessionGridTelemetry.ActionOutcome, name);
            _span.SetStatus(outcome.Ok ? ActivityStatusCode.Ok : ActivityStatusCode.Error, outcome.Ok ? null : name);
        }
    }

    public void Dispose()
    {
        _span?.Dispose();
        _logScope?.Dispose();
    }
}
