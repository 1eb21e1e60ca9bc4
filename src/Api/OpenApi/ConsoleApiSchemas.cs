using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SessionGrid.Api.OpenApi;

// The console API's bodies as the OpenAPI document shows them (snake_case JSON). Schema only: the handlers build these
// shapes as JSON (ConsoleApiEndpoints), and the OpenAPI test checks that the document and the routes agree.

[Description("A session of any dialect, as the console lists it.")]
public sealed record ConsoleSessionRowSchema(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("dialect"), Description("task, browser-session or browsing")] string Dialect,
    [property: JsonPropertyName("status"), Description("waiting, running, done, failed or cancelled")] string Status,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("node"), Description("The node that hosts it while it waits or runs")] string? Node,
    [property: JsonPropertyName("url"), Description("The URL it was opened at")] string? Url,
    [property: JsonPropertyName("current_url"), Description("Its page's URL now, while it waits or runs")] string? CurrentUrl,
    [property: JsonPropertyName("title"), Description("Always null in the list")] string? Title,
    [property: JsonPropertyName("created_at"), Description("Unix ms")] long CreatedAt,
    [property: JsonPropertyName("finished_at"), Description("Unix ms; null while it waits or runs")] long? FinishedAt,
    [property: JsonPropertyName("credits_used")] int CreditsUsed);

public sealed record ConsoleSessionListSchema(
    [property: JsonPropertyName("sessions"), Description("Newest first")] IReadOnlyList<ConsoleSessionRowSchema> Sessions,
    [property: JsonPropertyName("next"), Description("The t of the next page; null at the end")] long? Next);

[Description("One entry of a session's event log: an action's result or a notice of the engine.")]
public sealed record ConsoleEventSchema(
    [property: JsonPropertyName("id"), Description("The request's id; null for a notice")] string? Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("timestamp"), Description("Unix ms, strictly increasing")] long Timestamp,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("ok")] bool? Ok,
    [property: JsonPropertyName("status"), Description("ok, invalid, not_found, timed_out, refused, failed, interrupted or browser_error")] string? Status,
    [property: JsonPropertyName("output")] JsonNode? Output,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("duration_ms")] double? DurationMs,
    [property: JsonPropertyName("credits")] int Credits,
    [property: JsonPropertyName("data"), Description("A notice's data")] JsonNode? Data);

[Description("A session of any dialect with its events.")]
public sealed record ConsoleSessionSchema(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("dialect")] string Dialect,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("current_url"), Description("Its page's URL now, while it waits or runs")] string? CurrentUrl,
    [property: JsonPropertyName("title"), Description("Its page's title now, while it runs")] string? Title,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("finished_at")] long? FinishedAt,
    [property: JsonPropertyName("credits_used")] int CreditsUsed,
    [property: JsonPropertyName("profile"), Description("The profile it starts from; null for none")] ConsoleProfileUseSchema? Profile,
    [property: JsonPropertyName("output")] JsonNode? Output,
    [property: JsonPropertyName("error"), Description("Why it failed")] string? Error,
    [property: JsonPropertyName("live_path"), Description("The live view's path (/live/{id}?t=…) while it waits or runs; null once it ended")] string? LivePath,
    [property: JsonPropertyName("recording_url"), Description("Its video (a signed link) once it ended and the video is there; null otherwise")] string? RecordingUrl,
    [property: JsonPropertyName("replay_url"), Description("Its replay page (the video beside its events, a signed link) once the video is there; null otherwise")] string? ReplayUrl,
    [property: JsonPropertyName("events"), Description("After event_t, oldest first")] IReadOnlyList<ConsoleEventSchema> Events);

public sealed record ConsoleProfileUseSchema(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("read_only"), Description("True: it saves nothing back")] bool ReadOnly);

[Description("A node as it last reported itself to the capacity board.")]
public sealed record ConsoleNodeSchema(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("capacity"), Description("Browser contexts it may hold")] int Capacity,
    [property: JsonPropertyName("used")] int Used,
    [property: JsonPropertyName("free")] int Free,
    [property: JsonPropertyName("waiting"), Description("Sessions waiting for a context")] int Waiting,
    [property: JsonPropertyName("draining"), Description("The node drains: it takes no new session (free reads 0) and stops once its sessions finished or moved")] bool Draining,
    [property: JsonPropertyName("sessions")] int Sessions,
    [property: JsonPropertyName("chromium_processes")] int ChromiumProcesses,
    [property: JsonPropertyName("chromium_version")] string? ChromiumVersion,
    [property: JsonPropertyName("version"), Description("SessionGrid's version")] string? Version,
    [property: JsonPropertyName("reported_at"), Description("Unix ms")] long ReportedAt);

public sealed record ConsoleNodeListSchema([property: JsonPropertyName("nodes"), Description("By name")] IReadOnlyList<ConsoleNodeSchema> Nodes);
