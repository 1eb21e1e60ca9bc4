using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionGrid.Api.OpenApi;

// The Browsing API's answers as the OpenAPI document shows them (snake_case JSON). Schema only: the handlers build
// these shapes as JSON, and the OpenAPI test checks that the document and the routes agree.

[Description("An error: {\"error\": \"…\"}; a sync wait that ran out also names the task_id to poll.")]
public sealed record BrowsingError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("task_id")] string? TaskId = null);

public sealed record BrowsingTaskId([property: JsonPropertyName("task_id")] string TaskId);

[Description("A task's status; the result fields (completed_at … info) only once it finished.")]
public sealed record BrowsingStatus(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status"), Description("queued, assigned, running, completed or failed")] string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("node_uid")] string? NodeUid,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt = null,
    [property: JsonPropertyName("success")] bool? Success = null,
    [property: JsonPropertyName("payload"), Description("The agent's output, the visit object {url, title, text}, or the actions' results")] JsonElement? Payload = null,
    [property: JsonPropertyName("error")] string? Error = null,
    [property: JsonPropertyName("execution_time_ms")] long? ExecutionTimeMs = null,
    [property: JsonPropertyName("screenshots"), Description("File names for GET /screenshots/{task_id}/{file}")] IReadOnlyList<string>? Screenshots = null,
    [property: JsonPropertyName("info")] BrowsingInfo? Info = null,
    [property: JsonPropertyName("recording"), Description("A signed link to the video of the session the outcome came from, once it is there; else null")] string? Recording = null);

public sealed record BrowsingInfo([property: JsonPropertyName("node_uid")] string? NodeUid);
