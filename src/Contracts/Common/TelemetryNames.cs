namespace SessionGrid.Contracts.Common;

/// <summary>The name of SessionGrid's own activity source and meter, which the engine and the HTTP front end share.</summary>
public static class TelemetryNames
{
    public const string SessionGrid = "SessionGrid";
}
