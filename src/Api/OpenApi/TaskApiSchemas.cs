using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionGrid.Api.OpenApi;

// The Task API's answers as the OpenAPI document shows them. Schema only: the handlers build these shapes as JSON
// (TaskApiWire), and the OpenAPI test checks that the document and the routes agree.

[Description("An error: {\"detail\": \"…\"}.")]
public sealed record TaskApiError([property: JsonPropertyName("detail")] string Detail);

[Description("A task (or session) and, when polled, its events after event_t.")]
public sealed record TaskResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status"), Description("waiting, running, done, failed or cancelled")] string Status,
    [property: JsonPropertyName("output"), Description("The agent's output (JSON, following response_model), or the failure reason")] JsonElement? Output,
    [property: JsonPropertyName("credits_used")] int CreditsUsed,
    [property: JsonPropertyName("device"), Description("desktop, mobile or desktop-lg")] string Device,
    [property: JsonPropertyName("live_url")] string? LiveUrl,
    [property: JsonPropertyName("cdp_url"), Description("The session's CDP endpoint (ws:// or wss://, its token included) while the task waits or runs; only with isolation dedicated, else null")] string? CdpUrl,
    [property: JsonPropertyName("recording_url"), Description("null while running and while the video is being finished; then a signed link to it, or \"\" when there is none (recording off or unavailable, nothing recorded, expired)")] string? RecordingUrl,
    [property: JsonPropertyName("downloads_url"), Description("With ?downloads=true once finished: a signed link to a ZIP of the session's downloads, or \"\" when there are none; else null")] string? DownloadsUrl,
    [property: JsonPropertyName("created_at"), Description("Unix milliseconds; unique and increasing per key (the list cursor t)")] long CreatedAt,
    [property: JsonPropertyName("events"), Description("Only when reading one task: result events and engine notices")] IReadOnlyList<TaskEventResponse>? Events,
    [property: JsonPropertyName("ignored_options"), Description("Only in the answer to POST /task: the options it asked for that SessionGrid accepts but cannot honour (use_stealth, stealth_mode, use_captcha_solver, experimental_features)")] IReadOnlyList<string>? IgnoredOptions = null);

[Description("An event: an action's result under its request's id, or an engine notice (id null: session_closed, navigation_failed, agent_step, tool_call).")]
public sealed record TaskEventResponse(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("payload"), Description("A result: {code: 200, output: {output, credits_used, duration}} or {code: 400|500, output: \"message\"}; a notice: its data")] JsonElement? Payload,
    [property: JsonPropertyName("timestamp"), Description("Unix milliseconds, increasing per task")] long Timestamp);

public sealed record TaskEnvelope([property: JsonPropertyName("r")] TaskResponse R);

public sealed record TaskListEnvelope([property: JsonPropertyName("r"), Description("Newest first")] IReadOnlyList<TaskResponse> R);

public sealed record IdResponse([property: JsonPropertyName("id")] string Id);

[Description("{\"r\": {\"id\": …}}: the id of the event (generated when the request had none) or of the uploaded file.")]
public sealed record IdEnvelope([property: JsonPropertyName("r")] IdResponse R);

[Description("{\"r\": true}")]
public sealed record TrueEnvelope([property: JsonPropertyName("r")] bool R);

[Description("POST /task/{taskId}/event: a browser_action or session_action, or a tool_call answer.")]
public sealed record TaskEventBody(
    [property: JsonPropertyName("name"), Description("browser_action, session_action or tool_call")] string Name,
    [property: JsonPropertyName("payload")] TaskEventPayload Payload,
    [property: JsonPropertyName("id"), Description("Your id for the event (at most 256 characters); its result event carries it")] string? Id = null);

[Description("browser_action: any action of the vocabulary by name (goto, evaluate_js/exec_js, click, type, press, scroll, wait, screenshot, uploadFile, select, hover, dragAndDrop, pdf, content, authenticate, extract) with its fields in input; session_action: close, run_task; tool_call: the answer in input.")]
public sealed record TaskEventPayload(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("input"), Description("The action's fields (camelCase or snake_case), e.g. {\"url\": \"https://example.com\"} for goto")] JsonElement? Input = null);

[Description("The SDK's usage telemetry: a batch of events, each {event, timestamp, properties}. Accepted and discarded.")]
public sealed record TelemetryBatch(
    [property: JsonPropertyName("events")] IReadOnlyList<JsonElement>? Events = null);

[Description("A multipart upload: one part named file, and optionally file_purpose.")]
public sealed record TaskFileUpload(
    [property: JsonPropertyName("file")] Microsoft.AspNetCore.Http.IFormFile File,
    [property: JsonPropertyName("file_purpose"), Description("At most 64 characters")] string? FilePurpose = null);

[Description("A multipart upload: one part named file, a .zip or .crx of an unpacked Manifest V3 extension.")]
public sealed record TaskExtensionUpload([property: JsonPropertyName("file")] Microsoft.AspNetCore.Http.IFormFile File);

[Description("An uploaded extension, as the SDKs type it (plus its manifest's name and version).")]
public sealed record ExtensionResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("creation_time"), Description("Unix seconds")] long CreationTime,
    [property: JsonPropertyName("name"), Description("The manifest's name")] string Name,
    [property: JsonPropertyName("version"), Description("The manifest's version")] string Version);

public sealed record ExtensionListEnvelope([property: JsonPropertyName("r"), Description("Newest first")] IReadOnlyList<ExtensionResponse> R);

/// <summary>What a profile holds, without any cookie value.</summary>
public sealed record ProfileResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("cookie_domains")] IReadOnlyList<string> CookieDomains,
    [property: JsonPropertyName("cookie_count")] int CookieCount,
    [property: JsonPropertyName("profile_size_bytes")] long ProfileSizeBytes,
    [property: JsonPropertyName("last_saved_at"), Description("Unix seconds; null until the first save")] long? LastSavedAt);

public sealed record ProfileListEnvelope([property: JsonPropertyName("r"), Description("Newest first")] IReadOnlyList<ProfileResponse> R);
