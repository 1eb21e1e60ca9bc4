using System.ComponentModel;
using System.Text.Json;

namespace SessionGrid.Api.OpenApi;

// The Browser Session API's bodies as the OpenAPI document shows them (camelCase JSON). Schema only: the handlers
// build these shapes as JSON (BrowserSessionWire), and the OpenAPI test checks that the document and the routes agree.

[Description("An RFC 7807 problem (application/problem+json). A failed task adds the failing action's actionIndex and actionType, the actionResults of the actions before it, and for authenticate a reason.")]
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string Detail,
    [property: Description("invalid_request, unauthorized, not_found, timeout, payload_too_large, unsupported_media_type, action_failed, too_many_requests, session_unavailable")] string Code,
    int? ActionIndex = null,
    string? ActionType = null,
    [property: Description("task: the failing step (url, action, screenshot, pdf, content)")] string? Step = null,
    IReadOnlyList<ActionResultSchema>? ActionResults = null,
    string? Reason = null);

public sealed record Session(
    string Id,
    [property: Description("active, closed or failed")] string Status,
    [property: Description("desktop, mobile or desktop-lg")] string Device,
    [property: Description("The page's URL while the session is active")] string? Url,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt,
    string? Error,
    [property: Description("The session's CDP endpoint (ws:// or wss://, its token included) while it is active; only with isolation dedicated, else null")] string? CdpUrl,
    [property: Description("A session created with recording: true: a signed link to its video once it closed and the video is there, else null")] string? RecordingUrl,
    [property: Description("The replay page (the video beside the session's events, clickable to seek) when recordingUrl is there, else null")] string? ReplayUrl);

public sealed record SessionList(IReadOnlyList<Session> Sessions);

[Description("POST /sessions/{id}/tasks: navigate to url, run actions in order (at most 100) until one fails, then capture.")]
public sealed record BrowserTaskBody(
    string? Url = null,
    [property: Description("load (default), domcontentloaded or networkidle; needs url")] string? WaitUntil = null,
    IReadOnlyList<ActionSchema>? Actions = null,
    [property: Description("true, or options {fullPage, selector}")] JsonElement? Screenshot = null,
    [property: Description("true, or the options of the pdf action")] JsonElement? Pdf = null,
    bool? Content = null);

[Description("{type, ok} and what the action returned: evaluate's value as value, other actions' fields as they are (charactersTyped, selected, screenshot …).")]
public sealed record ActionResultSchema(string Type, bool Ok, JsonElement? Value = null, string? Error = null);

public sealed record PageContent(string Html, string Url);

public sealed record BrowserTaskResult(
    string? Url,
    IReadOnlyList<ActionResultSchema> ActionResults,
    [property: Description("Base64 PNG, when asked for")] string? Screenshot = null,
    [property: Description("Base64 PDF, when asked for")] string? Pdf = null,
    PageContent? Content = null);

[Description("A multipart upload: one or more parts named file; filename renames a single file.")]
public sealed record SessionFileUpload(Microsoft.AspNetCore.Http.IFormFile File, string? Filename = null);

public sealed record StoredSessionFile(string Filename, long Size, string ContentType, DateTimeOffset ExpiresAt);

public sealed record SessionFiles(IReadOnlyList<StoredSessionFile> Files);

[Description("A file a page of the session downloaded, kept under a safe name.")]
public sealed record SessionDownload(
    string Name,
    long Size,
    [property: Description("The file by signed link (no API key needed), valid SessionGrid:Recording:LinkTtlHours")] string Url,
    DateTimeOffset ExpiresAt);

public sealed record SessionDownloads([property: Description("By name")] IReadOnlyList<SessionDownload> Downloads);

[Description("A credential, described without any secret (not even the username).")]
public sealed record Credential(string Id, string? Name, IReadOnlyList<string> Domains, DateTimeOffset CreatedAt, bool HasTotp);

public sealed record CredentialList([property: Description("Newest first")] IReadOnlyList<Credential> Credentials);
