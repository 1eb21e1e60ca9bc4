using SessionGrid.Api.BrowserSessionApi;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// The Browser Session API (ScrapEngine-compatible, <c>/api/v1/browser</c>) in the OpenAPI document:
/// one doc per route, named as its handler, attached where the route is mapped.
/// </summary>
public static class BrowserSessionApiDocs
{
    public const string Tag = "Browser Session API";

    /// <summary>The dialect: its tag, its error shape, and the routes below.</summary>
    public static readonly DialectDocs Dialect = new(Tag, typeof(Problem), "application/problem+json");

    public static readonly RouteDoc CreateSession = Dialect.Route("POST", "/api/v1/browser/sessions", "Create a session")
        .Description("Every field is optional. `isolation: dedicated` gives the session a Chromium process of its own and a CDP endpoint, `cdpUrl`. `profileId` starts from a profile (404 unknown, 409 while another session writes to it); 429 when every browser is busy and the wait queue is full; 503 when no browser could be opened.")
        .Accepts<CreateSessionRequest>(optional: true)
        .Returns<Session>(Status201Created)
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound, Status409Conflict, Status413PayloadTooLarge, Status429TooManyRequests, Status503ServiceUnavailable);

    public static readonly RouteDoc ListSessions = Dialect.Route("GET", "/api/v1/browser/sessions", "List your sessions, newest first")
        .Query("limit", typeof(int), $"1 to {BrowserSessionApiEndpoints.MaxListLimit} (default {BrowserSessionApiEndpoints.DefaultListLimit})")
        .Returns<SessionList>()
        .Errors(Status400BadRequest, Status401Unauthorized);

    public static readonly RouteDoc GetSession = Dialect.Route("GET", "/api/v1/browser/sessions/{sessionId}", "Read a session")
        .Returns<Session>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc DeleteSession = Dialect.Route("DELETE", "/api/v1/browser/sessions/{sessionId}", "Close a session")
        .Description("Answers the closed session; 404 when it is unknown, another key's, or already closed.")
        .Returns<Session>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc RunTask = Dialect.Route("POST", "/api/v1/browser/sessions/{sessionId}/tasks", "Run a task: navigate, actions, captures")
        .Description("Answers when every step ran. A failing step answers its status (400 bad input or refused URL, 404 no element, " +
            "408 timeout, 422 the page failed, 503 the browser failed) with the results of the actions before it.")
        .Accepts<BrowserTaskBody>()
        .Returns<BrowserTaskResult>(Status201Created)
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound, Status408RequestTimeout, Status413PayloadTooLarge,
            Status422UnprocessableEntity, Status429TooManyRequests, Status503ServiceUnavailable);

    public static readonly RouteDoc UploadFiles = Dialect.Route("POST", "/api/v1/browser/sessions/{sessionId}/files", "Upload files for uploadFile actions")
        .Accepts<SessionFileUpload>(contentType: "multipart/form-data")
        .Returns<SessionFiles>(Status201Created)
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType);

    public static readonly RouteDoc RenderPdf = Dialect.Route("POST", "/api/v1/browser/sessions/{sessionId}/pdf", "Render the page as a PDF")
        .Accepts<PdfSchema>(optional: true)
        .ReturnsFile("application/pdf")
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound, Status408RequestTimeout, Status413PayloadTooLarge,
            Status422UnprocessableEntity, Status429TooManyRequests, Status503ServiceUnavailable);

    public static readonly RouteDoc GetRecording = Dialect.Route("GET", "/api/v1/browser/sessions/{sessionId}/recording", "Fetch the session's video")
        .Description("A session created with `recording: true`: its video (MP4, or WebM with SessionGrid:Recording:Format webm) once it closed, inline; Range requests answer 206 (416 past the end). " +
            "409 while it records or its video is being finished (Retry-After), 404 when it has none (recording off or unavailable, nothing recorded, expired).")
        .ReturnsFile("video/mp4")
        .Errors(Status401Unauthorized, Status404NotFound, Status409Conflict, Status416RangeNotSatisfiable);

    public static readonly RouteDoc ListDownloads = Dialect.Route("GET", "/api/v1/browser/sessions/{sessionId}/downloads", "List the files the session downloaded")
        .Description("Every file a page of the session downloaded (while it is active and after it closed, until its retention ends), with a signed link to each.")
        .Returns<SessionDownloads>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc GetDownload = Dialect.Route("GET", "/api/v1/browser/sessions/{sessionId}/downloads/{name}", "Fetch one downloaded file")
        .Description("The file as an attachment under its safe name; Range requests answer 206 (416 past the end).")
        .ReturnsFile("application/octet-stream")
        .Errors(Status401Unauthorized, Status404NotFound, Status416RangeNotSatisfiable);

    public static readonly RouteDoc CreateCredential = Dialect.Route("POST", "/api/v1/browser/credentials", "Store a credential in the vault")
        .Description("The secrets are sealed at once and never returned. 409 beyond the per-key limit.")
        .Accepts<CreateCredentialRequest>()
        .Returns<Credential>(Status201Created)
        .Errors(Status400BadRequest, Status401Unauthorized, Status409Conflict, Status413PayloadTooLarge);

    public static readonly RouteDoc ListCredentials = Dialect.Route("GET", "/api/v1/browser/credentials", "List your credentials, newest first")
        .Returns<CredentialList>()
        .Errors(Status401Unauthorized);

    public static readonly RouteDoc GetCredential = Dialect.Route("GET", "/api/v1/browser/credentials/{credentialId}", "Read a credential")
        .Returns<Credential>()
        .Errors(Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc DeleteCredential = Dialect.Route("DELETE", "/api/v1/browser/credentials/{credentialId}", "Delete a credential")
        .Returns<Credential>()
        .Errors(Status401Unauthorized, Status404NotFound);
}
