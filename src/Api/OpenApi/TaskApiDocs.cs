using SessionGrid.Api.TaskApi;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// The Task API (Smooth-compatible, <c>/api/v1/task</c>, <c>/api/v1/file</c>, <c>/api/v1/profile</c>) in the OpenAPI document:
/// one doc per route, named as its handler, attached where the route is mapped.
/// </summary>
public static class TaskApiDocs
{
    public const string Tag = "Task API";

    /// <summary>The dialect: its tag, its error shape, and the routes below.</summary>
    public static readonly DialectDocs Dialect = new(Tag, typeof(TaskApiError));

    public static readonly RouteDoc SubmitTask = Dialect.Route("POST", "/api/v1/task", "Open a session, or run an agent task")
        .Description("`task: null` opens a session (optionally at `url`) that events then drive; a task string runs the agent " +
            "(422 while no model is configured). `isolation: dedicated` gives the session a Chromium process of its own and a CDP endpoint, " +
            "`cdp_url`, for Playwright's connectOverCDP or Puppeteer's connect. Answers at once: `running` when a browser context was free, " +
            "`waiting` while every browser is busy (it runs once one frees, or fails `no_capacity`).")
        .Accepts<TaskApi.TaskRequest>()
        .Returns<TaskEnvelope>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound, Status409Conflict, Status413PayloadTooLarge, Status422UnprocessableEntity, Status429TooManyRequests);

    public static readonly RouteDoc ListTasks = Dialect.Route("GET", "/api/v1/task", "List your tasks, newest first")
        .Query("l", typeof(int), $"Page size, 1 to {TaskApiEndpoints.MaxListLimit} (default {TaskApiEndpoints.DefaultListLimit})")
        .Query("t", typeof(long), "Only tasks created before this created_at (Unix ms): the last one of the previous page")
        .Returns<TaskListEnvelope>()
        .Errors(Status400BadRequest, Status401Unauthorized);

    public static readonly RouteDoc GetTask = Dialect.Route("GET", "/api/v1/task/{taskId}", "Read a task and poll its events")
        .Description("200 once the task finished, 202 while it runs. Events arrive in timestamp order; pass the last timestamp you saw as `event_t`. " +
            "While the task has work in flight and nothing newer than `event_t`, the answer is held until an event lands or the status changes " +
            "(at most `SessionGrid:Api:LongPollSeconds`); with nothing in flight it answers at once.")
        .Query("event_t", typeof(long), "Only events after this timestamp (Unix ms)")
        .Query("downloads", typeof(bool), "Ask for downloads_url")
        .Returns<TaskEnvelope>()
        .Returns<TaskEnvelope>(Status202Accepted)
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc CancelTask = Dialect.Route("DELETE", "/api/v1/task/{taskId}", "Cancel a task")
        .Description("Status cancelled; a running action is interrupted and reported. 404 once finished, and for another key's task.")
        .Returns<TrueEnvelope>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc SendEvent = Dialect.Route("POST", "/api/v1/task/{taskId}/event", "Send an event to a session")
        .Description("Queues a browser_action or session_action (its result arrives as an event with the same id), or answers a " +
            "tool_call. 429 when the session's queue is full.")
        .Accepts<TaskEventBody>()
        .Returns<IdEnvelope>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound, Status413PayloadTooLarge, Status422UnprocessableEntity, Status429TooManyRequests);

    public static readonly RouteDoc Telemetry = Dialect.Route("POST", "/api/v1/telemetry", "Accept the SDK's usage telemetry")
        .Description("The Smooth SDKs report their own usage here; SessionGrid answers 204 and keeps nothing of it.")
        .Accepts<TelemetryBatch>(optional: true)
        .ReturnsNothing()
        .Errors(Status401Unauthorized);

    public static readonly RouteDoc UploadFile = Dialect.Route("POST", "/api/v1/file", "Upload a file for tasks to use")
        .Description("Name the returned id in a task's `files`; its session gets a copy under the original name.")
        .Accepts<TaskFileUpload>(contentType: "multipart/form-data")
        .Returns<IdEnvelope>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status413PayloadTooLarge, Status415UnsupportedMediaType);

    public static readonly RouteDoc DeleteFile = Dialect.Route("DELETE", "/api/v1/file/{fileId}", "Delete an uploaded file")
        .Returns<TrueEnvelope>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc UploadExtension = Dialect.Route("POST", "/api/v1/extension", "Upload a Chrome extension")
        .Description("A `.zip` (or `.crx`) of an unpacked Manifest V3 extension, its `manifest.json` at the top or in its one top folder. " +
            "Name the returned id in a task's `extensions`: its session gets a Chromium of its own started with it. Kept until deleted.")
        .Accepts<TaskExtensionUpload>(contentType: "multipart/form-data")
        .Returns<IdEnvelope>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status413PayloadTooLarge, Status415UnsupportedMediaType);

    public static readonly RouteDoc ListExtensions = Dialect.Route("GET", "/api/v1/extension", "List your extensions, newest first")
        .Returns<ExtensionListEnvelope>()
        .Errors(Status401Unauthorized);

    public static readonly RouteDoc DeleteExtension = Dialect.Route("DELETE", "/api/v1/extension/{extensionId}", "Delete an extension")
        .Description("Sessions that loaded it keep it; new tasks may no longer name it.")
        .Returns<TrueEnvelope>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc DeleteExtensionAtSpecPath = Dialect.Route("DELETE", "/api/v1/browser/extension/{extensionId}", "Delete an extension (the Smooth spec's path)")
        .Description("The same as `DELETE /api/v1/extension/{extensionId}`, which the SDKs call.")
        .Returns<TrueEnvelope>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc CreateProfile = Dialect.Route("POST", "/api/v1/profile", "Create a browser profile")
        .Description("A custom `id` (1-64 letters, digits, `_`, `-`, `.`) or a generated one. Tasks name it in `profile_id`.")
        .Accepts<TaskApi.ProfileRequest>()
        .Returns<IdEnvelope>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status409Conflict);

    public static readonly RouteDoc ListProfiles = Dialect.Route("GET", "/api/v1/profile", "List your profiles")
        .Returns<ProfileListEnvelope>()
        .Errors(Status401Unauthorized);

    public static readonly RouteDoc DeleteProfile = Dialect.Route("DELETE", "/api/v1/profile/{profileId}", "Delete a profile")
        .Description("409 while a running session writes to it.")
        .Returns<TrueEnvelope>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound, Status409Conflict);
}
