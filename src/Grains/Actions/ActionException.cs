using SessionGrid.Contracts.Actions;

namespace SessionGrid.Grains.Actions;

/// <summary>An action ended in a known way that is not success; carries the engine status to report.</summary>
internal sealed class ActionException(ActionStatus status, string message) : Exception(message)
{
    public ActionStatus Status { get; } = status;
}
