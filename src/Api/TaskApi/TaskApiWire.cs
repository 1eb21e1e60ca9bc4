using System.Text.Json;
using System.Text.Json.Nodes;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.TaskApi;

/// <summary>Renders engine records in the Smooth wire shape (§3.2 TaskResponse, §5.4 nested action results).</summary>
public static class TaskApiWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = false,
    };

    public static string Status(TaskPhase phase) => phase switch
    {
        TaskPhase.Waiting => "waiting",
        TaskPhase.Running => "running",
        TaskPhase.Done => "done",
        TaskPhase.Failed => "failed",
        _ => "cancelled",
    };

    /// <summary>
    /// A TaskResponse. <c>recording_url</c> is null while the task runs and while its video is being finished ("not
    /// ready": the SDK asks again), then <paramref name="recordingUrl"/> (a signed link), or "" when there is none
    /// ("not available": recording was off or unavailable, nothing was recorded, or it expired). <c>downloads_url</c> is <paramref name="downloadsUrl"/>: null unless asked for
    /// (<c>?downloads=true</c>) once the task ended, then the ZIP's link, or "" when the session downloaded nothing. <c>live_url</c> is
    /// <paramref name="liveUrl"/>: the session's live view while the task waits or runs, else null; <c>cdp_url</c> is
    /// <paramref name="cdpUrl"/>: the CDP endpoint of a session with its own browser while it waits or runs, else null.
    /// </summary>
    public static JsonObject Task(TaskSnapshot task, string? liveUrl, string? cdpUrl, string? recordingUrl, bool withEvents, string? downloadsUrl = null)
    {
        var finished = task.Phase.IsFinished();
        return new JsonObject
        {
            ["id"] = task.Id,
            ["status"] = Status(task.Phase),
            ["output"] = Output(task),
            ["credits_used"] = task.CreditsUsed,
            ["device"] = DeviceWire.Name(task.Device),
            ["live_url"] = liveUrl,
            ["cdp_url"] = cdpUrl,
            ["recording_url"] = !finished ? null : recordingUrl ?? (task.RecordingPending ? null : ""),
            ["downloads_url"] = finished ? downloadsUrl : null,
            ["created_at"] = task.CreatedAt,
            ["events"] = withEvents ? new JsonArray([.. task.Events.Select(Event)]) : null,
        };
    }

    public static JsonObject Event(TaskEvent taskEvent) => new()
    {
        ["id"] = taskEvent.Id,
        ["name"] = taskEvent.Name,
        ["payload"] = taskEvent.Result is { } result ? ResultPayload(result) : Parse(taskEvent.Data),
        ["timestamp"] = taskEvent.Timestamp,
    };

    /// <summary>
    /// <c>{code: 200, output: {output, credits_used, duration}}</c> on success (the nested form the SDKs unpack);
    /// <c>{code: 400|500, output: "message"}</c> on failure.
    /// </summary>
    private static JsonObject ResultPayload(ActionOutcome outcome) => outcome.Ok
        ? new JsonObject
        {
            ["code"] = 200,
            ["output"] = new JsonObject
            {
                ["output"] = Parse(outcome.Value),
                ["credits_used"] = outcome.Credits,
                ["duration"] = Math.Round(outcome.DurationMs / 1000.0, 3),
            },
        }
        : new JsonObject
        {
            ["code"] = outcome.Status == ActionStatus.BrowserError ? 500 : 400,
            ["output"] = outcome.Error,
        };

    private static JsonNode? Output(TaskSnapshot task) =>
        task.Output is not null ? Parse(task.Output) : task.Error is not null ? JsonValue.Create(task.Error) : null;

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
