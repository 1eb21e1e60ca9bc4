using System.Diagnostics;

namespace SessionGrid.Grains.Telemetry;

/// <summary>
/// SessionGrid's own telemetry: the <c>SessionGrid</c> activity source (a span per browser action) and meter
/// (<see cref="SessionGridMetrics"/>), and the attribute names spans, metrics and log scopes share. Attributes carry
/// ids, types and outcomes only: never a URL, a typed text, an error message or a credential.
/// </summary>
public static class SessionGridTelemetry
{
    public const string Name = Contracts.Common.TelemetryNames.SessionGrid;

    public const string SessionId = "sessiongrid.session.id";
    public const string TaskId = "sessiongrid.task.id";
    public const string ActionType = "sessiongrid.action.type";
    public const string ActionOutcome = "sessiongrid.action.outcome";
    public const string TaskStatus = "sessiongrid.task.status";
    public const string TaskKind = "sessiongrid.task.kind";
    public const string Dialect = "sessiongrid.dialect";
    public const string ResourceType = "sessiongrid.resource.type";

    public static readonly ActivitySource Source = new(Name);
}
