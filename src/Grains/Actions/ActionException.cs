using SessionGrid.Contracts.Actions;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// An action ended in a known way that is not success; carries the engine status to report and, for an action whose
/// failures have a shape of their own (authenticate's <c>{success: false, reason}</c>), its value as JSON.
/// </summary>
internal sealed class ActionException(ActionStatus status, string message, string? value = null) : Exception(message)
{
    public ActionStatus Status { get; } = status;

    public string? Value { get; } = value;
}
