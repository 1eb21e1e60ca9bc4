using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Actions;
using SessionGrid.Api.Artifacts;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Http;
using SessionGrid.Api.Limits;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;
using static SessionGrid.Api.BrowserSessionApi.BrowserSessionWire;

namespace SessionGrid.Api.BrowserSessionApi;

/// <summary>
/// The ScrapEngine-compatible Browser Session API (seed 000) under <c>/api/v1/browser</c>: sessions with UUID ids,
/// multi-step tasks answered in one response, per-session files, PDFs. Parses the wire shape, calls the session
/// grain, renders the result; the actions themselves run in the engine.
/// </summary>
public static class BrowserSessionApiEndpoints
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 100;

    /// <summary>The statuses of a session's refusals: the default ones (404 ended, 503 not open here, 429 a limit, 409 in use).</summary>
    private static readonly RefusalStatuses Refusals = RefusalStatuses.Default;

    /// <summary>An upload past the session's file limit answers 409 (it conflicts with the files the session has), not 429.</summary>
    private static readonly RefusalStatuses UploadRefusals = Refusals.With(SessionRefusal.LimitReached, StatusCodes.Status409Conflict);

    public static IEndpointRouteBuilder MapBrowserSessionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/browser").RequireApiKey("missing or invalid API key: send it as 'Authorization: Bearer <key>'", (status, message) => Problem(status, message));
        api.MapPost("/sessions", CreateSession).WithDoc(BrowserSessionApiDocs.CreateSession);
        api.MapGet("/sessions", ListSessions).WithDoc(BrowserSessionApiDocs.ListSessions);
        api.MapGet("/sessions/{sessionId}", GetSession).WithDoc(BrowserSessionApiDocs.GetSession);
        api.MapDelete("/sessions/{sessionId}", DeleteSession).WithDoc(BrowserSessionApiDocs.DeleteSession);
        api.MapPost("/sessions/{sessionId}/tasks", RunTask).WithDoc(BrowserSessionApiDocs.RunTask);
        api.MapPost("/sessions/{sessionId}/files", UploadFiles).WithDoc(BrowserSessionApiDocs.UploadFiles);
        api.MapPost("/sessions/{sessionId}/pdf", RenderPdf).WithDoc(BrowserSessionApiDocs.RenderPdf);
        api.MapGet("/sessions/{sessionId}/recording", GetRecording).WithDoc(BrowserSessionApiDocs.GetRecording);
        api.MapGet("/sessions/{sessionId}/downloads", ListDownloads).WithDoc(BrowserSessionApiDocs.ListDownloads);
        api.MapGet("/sessions/{sessionId}/downloads/{name}", GetDownload).WithDoc(BrowserSessionApiDocs.GetDownload);
        api.MapCredentials();
        return app;
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateSession(
        HttpContext http, IGrainFactory grains, CdpLinks cdp, IOptions<ApiOptions> options, IOptions<ExtensionOptions> extensionOptions)
    {
        var body = await JsonBody.ReadAsync<CreateSessionRequest>(http.Request, options.Value.MaxBodyBytes, JsonOptions, allowEmpty: true);
        if (!body.Ok)
        {
            return Problem(body.Status, body.Error!);
        }

        var (device, settings, error) = SessionSettings.Parse(body.Value!);
        var (profile, badProfile) = SessionSettings.Profile(body.Value!);
        var isolation = IsolationWire.Parse(body.Value!.Isolation);
        var (extras, badExtras) = SessionSettings.Extras(body.Value!);
        if ((error ?? badProfile ?? (isolation is null ? IsolationWire.Invalid : null) ?? badExtras
            ?? await ExtensionIds.ProblemAsync(body.Value!.Extensions, Caller.Tenant(http), grains, extensionOptions.Value)) is { } invalid)
        {
            return Problem(StatusCodes.Status400BadRequest, invalid);
        }

        var sessionId = Ids.Uuid();
        var spec = new SessionSpec(Caller.Tenant(http), device, null)
        {
            Dialect = Dialects.BrowserSessionApi, Browser = settings, Profile = profile, Isolation = isolation!.Value, Extras = extras, Record = body.Value!.Recording ?? false,
        };
        if (await SessionLimit.ClaimAsync(http, grains, new SessionClaim(sessionId, SessionClaimKind.Session)) is { } full)
        {
            return Problem(StatusCodes.Status429TooManyRequests, full);
        }

        if (await grains.GetGrain<ISessionGrain>(sessionId).OpenAsync(spec) is { Accepted: false } refused)
        {
            await SessionLimit.ReleaseAsync(http, grains, sessionId);
            return Problem(Refusals.Of(refused), refused.Reason!);
        }

        var session = await grains.GetGrain<ITaskGrain>(sessionId).GetAsync(0, includeEvents: false);
        if (session is null || session.Phase.IsFinished())
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, $"the browser could not be opened: {session?.Error ?? "unknown reason"}");
        }

        return Ok(Session(session, "about:blank", cdp.ForTask(http.Request, session)), StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<JsonObject>> ListSessions(HttpContext http, IGrainFactory grains, CdpLinks cdp, ArtifactLinkUrls artifacts)
    {
        var limit = DefaultListLimit;
        if (http.Request.Query["limit"] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0])
            && (!int.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxListLimit))
        {
            return Problem(StatusCodes.Status400BadRequest, $"limit must be an integer from 1 to {MaxListLimit}");
        }

        var tenant = Caller.Tenant(http);
        var ids = await grains.GetGrain<ITenantGrain>(tenant).ListTasksAsync(Dialects.BrowserSessionApi, null, limit);
        var sessions = await Task.WhenAll(ids.Select(async id =>
        {
            var session = await grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: false);
            return session is null || session.Owner != tenant
                ? null
                : Session(session, await CurrentUrlAsync(grains, session), cdp.ForTask(http.Request, session),
                    artifacts.Recording(http.Request, session), artifacts.Replay(http.Request, session));
        }));
        return Ok(new JsonObject { ["sessions"] = new JsonArray([.. sessions.Where(s => s is not null)]) });
    }

    private static async Task<JsonHttpResult<JsonObject>> GetSession(string sessionId, HttpContext http, IGrainFactory grains, CdpLinks cdp, ArtifactLinkUrls artifacts)
    {
        var session = await FindAsync(grains, http, sessionId);
        return session is null
            ? SessionNotFound(sessionId)
            : Ok(Session(session, await CurrentUrlAsync(grains, session), cdp.ForTask(http.Request, session),
                artifacts.Recording(http.Request, session), artifacts.Replay(http.Request, session)));
    }

    private static async Task<JsonHttpResult<JsonObject>> DeleteSession(string sessionId, HttpContext http, IGrainFactory grains)
    {
        var session = await FindAsync(grains, http, sessionId);
        if (session is null || session.Phase.IsFinished())
        {
            return SessionNotFound(sessionId);
        }

        await grains.GetGrain<ISessionGrain>(sessionId).CloseAsync();
        var closed = await grains.GetGrain<ITaskGrain>(sessionId).GetAsync(0, includeEvents: false);
        return Ok(Session(closed!, null, null));
    }

    private static async Task<JsonHttpResult<JsonObject>> RunTask(string sessionId, HttpContext http, IGrainFactory grains, TimeProvider clock, IOptions<ApiOptions> options)
    {
        var json = await JsonBody.ReadObjectAsync(http.Request, options.Value.MaxBodyBytes);
        if (!json.Ok)
        {
            return Problem(json.Status, json.Error!);
        }

        var body = JsonBody.Bind<BrowserTaskRequest>(json.Value, JsonOptions);
        if (!body.Ok)
        {
            return Problem(body.Status, body.Error!);
        }

        var request = body.Value!;
        var (plan, error, errorIndex) = BrowserTaskPlan.Parse(request, json.Value);
        if (plan is null)
        {
            return Problem(StatusCodes.Status400BadRequest, error!, errorIndex is { } i ? Failing(i, request.Actions![i]) : null);
        }

        var run = await RunAsync(grains, http, clock, sessionId, plan.Actions);
        if (run.Refused is { } refused)
        {
            var step = refused.ActionIndex is { } at ? plan.Steps[at] : default;
            var extensions = step.Step == BrowserTaskPlan.Step.Action ? Failing(step.Index, step.Action.Type) : null;
            var detail = step.Step == BrowserTaskPlan.Step.Action ? $"actions[{step.Index}]: {refused.Reason}" : refused.Reason!;
            return Problem(Refusals.Of(refused), detail, extensions);
        }

        var outcome = run.Outcome!;
        var results = new JsonArray();
        var response = new JsonObject { ["url"] = null };
        for (var i = 0; i < outcome.Results.Count; i++)
        {
            var (step, index, _) = plan.Steps[i];
            var result = outcome.Results[i];
            if (!result.Ok)
            {
                var extensions = new JsonObject
                {
                    ["actionIndex"] = step == BrowserTaskPlan.Step.Action ? index : null,
                    ["actionType"] = result.Action,
                    ["step"] = step.ToString().ToLowerInvariant(),
                    ["actionResults"] = results,
                };
                if (Field(result, "reason") is { } reason)
                {
                    extensions["reason"] = reason;
                }

                var where = step == BrowserTaskPlan.Step.Action ? $"actions[{index}] ({result.Action})" : step == BrowserTaskPlan.Step.Url ? "navigation to url" : step.ToString().ToLowerInvariant();
                return Problem(StatusOf(result.Status), $"{where} failed: {result.Error}", extensions);
            }

            switch (step)
            {
                case BrowserTaskPlan.Step.Action:
                    results.Add(ActionResult(result));
                    break;
                case BrowserTaskPlan.Step.Screenshot:
                    response["screenshot"] = Field(result, "screenshot");
                    break;
                case BrowserTaskPlan.Step.Pdf:
                    response["pdf"] = Field(result, "pdf");
                    break;
                case BrowserTaskPlan.Step.Content:
                    response["content"] = result.Value is null ? null : JsonNode.Parse(result.Value);
                    break;
            }
        }

        response["url"] = (await grains.GetGrain<ISessionGrain>(sessionId).DescribeAsync()).Url;
        response["actionResults"] = results;
        return Ok(response, StatusCodes.Status201Created);
    }

    private static async Task<Results<FileContentHttpResult, JsonHttpResult<JsonObject>>> RenderPdf(
        string sessionId, HttpContext http, IGrainFactory grains, TimeProvider clock, IOptions<ApiOptions> options)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, options.Value.MaxBodyBytes, allowEmpty: true);
        if (!body.Ok)
        {
            return Problem(body.Status, body.Error!);
        }

        var parsed = ActionJson.ParsePdf(body.Value);
        if (parsed.Action is null)
        {
            return Problem(StatusCodes.Status400BadRequest, parsed.Error!);
        }

        var run = await RunAsync(grains, http, clock, sessionId, [parsed.Action]);
        if (run.Refused is { } refused)
        {
            return Problem(Refusals.Of(refused), refused.Reason!);
        }

        var result = run.Outcome!.Results[^1];
        return result.Ok
            ? TypedResults.Bytes(Convert.FromBase64String(Field(result, "pdf")!.GetValue<string>()), "application/pdf")
            : Problem(StatusOf(result.Status), $"pdf failed: {result.Error}");
    }

    private static async Task<JsonHttpResult<JsonObject>> UploadFiles(string sessionId, HttpContext http, IGrainFactory grains, IOptions<SessionFileOptions> files)
    {
        // A single file may be renamed by a 'filename' field.
        static string? Rename(IFormCollection form) =>
            form["filename"].ToString() is { Length: > 0 } given && form.Files.Count == 1 ? given : null;

        var read = await UploadForm.ReadAsync(http, files.Value, (form, file) => Rename(form) ?? file.FileName);
        if (!read.Ok)
        {
            return Problem(read.Status, read.Error!);
        }

        var form = read.Value!;
        var rename = Rename(form);

        var session = await FindAsync(grains, http, sessionId);
        if (session is null || session.Phase.IsFinished())
        {
            return SessionNotFound(sessionId);
        }

        var stored = new JsonArray();
        foreach (var file in form.Files)
        {
            var upload = await UploadForm.ToFileAsync(file, rename ?? file.FileName, http.RequestAborted);
            var reply = await grains.GetGrain<ISessionGrain>(sessionId).AddFileAsync(upload);
            if (!reply.Reply.Accepted)
            {
                return Problem(UploadRefusals.Of(reply.Reply), reply.Reply.Reason!);
            }

            stored.Add(new JsonObject
            {
                ["filename"] = reply.File!.Name,
                ["size"] = reply.File.Size,
                ["contentType"] = upload.ContentType,
                ["expiresAt"] = WireTime.Iso(reply.File.ExpiresAt),
            });
        }

        return Ok(new JsonObject { ["files"] = stored }, StatusCodes.Status201Created);
    }

    /// <summary>
    /// The caller's session's video, inline (ranges answered): 409 while the session records or its video is being
    /// finished, 404 when it recorded none (off, unavailable, nothing recorded, expired).
    /// </summary>
    private static async Task<IResult> GetRecording(string sessionId, HttpContext http, IGrainFactory grains)
    {
        if (await FindAsync(grains, http, sessionId) is null)
        {
            return SessionNotFound(sessionId);
        }

        var grain = grains.GetGrain<ISessionArtifactsGrain>(sessionId);
        var opened = await grain.OpenAsync(ArtifactKind.Recording, null);
        if (!opened.Reply.Accepted)
        {
            if (opened.Reply.Refusal == SessionRefusal.Conflict)
            {
                http.Response.Headers.RetryAfter = "5";
            }

            return Problem(ArtifactEndpoints.Refusals.Of(opened.Reply), opened.Reply.Reason!);
        }

        return ArtifactResults.Serve(http.Response, grain, ArtifactKind.Recording, opened, null);
    }

    /// <summary>The files the caller's session (active or closed) downloaded, each with its signed link.</summary>
    private static async Task<JsonHttpResult<JsonObject>> ListDownloads(string sessionId, HttpContext http, IGrainFactory grains, ArtifactLinkUrls links)
    {
        if (await FindAsync(grains, http, sessionId) is null)
        {
            return SessionNotFound(sessionId);
        }

        var listing = await grains.GetGrain<ISessionArtifactsGrain>(sessionId).DownloadsAsync();
        return Ok(new JsonObject
        {
            ["downloads"] = new JsonArray([.. listing.Files.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["size"] = f.Size,
                ["url"] = links.Download(http.Request, sessionId, f.Name, listing.Token),
                ["expiresAt"] = WireTime.Iso(f.ExpiresAt),
            })]),
        });
    }

    /// <summary>One file the caller's session downloaded, as an attachment (ranges answered).</summary>
    private static async Task<IResult> GetDownload(string sessionId, string name, HttpContext http, IGrainFactory grains)
    {
        if (await FindAsync(grains, http, sessionId) is null)
        {
            return SessionNotFound(sessionId);
        }

        var grain = grains.GetGrain<ISessionArtifactsGrain>(sessionId);
        var opened = await grain.OpenAsync(ArtifactKind.Download, name);
        return opened.Reply.Accepted
            ? ArtifactResults.Serve(http.Response, grain, ArtifactKind.Download, opened, opened.Name)
            : Problem(StatusCodes.Status404NotFound, opened.Reply.Reason!);
    }

    /// <summary>
    /// Queues actions on the caller's open session and waits for their outcome, in short waits, for as long as they
    /// run; a client that goes away ends the wait (the actions run on).
    /// </summary>
    private static async Task<(ScriptOutcome? Outcome, SessionReply? Refused)> RunAsync(
        IGrainFactory grains, HttpContext http, TimeProvider clock, string sessionId, IReadOnlyList<BrowserAction> actions)
    {
        var session = await FindAsync(grains, http, sessionId);
        if (session is null || session.Phase.IsFinished())
        {
            return (null, SessionReply.Rejected(SessionRefusal.Closed, $"session '{Text.Shorten(sessionId)}' was not found or is closed"));
        }

        var grain = grains.GetGrain<ISessionGrain>(sessionId);
        var scriptId = Ids.New("script_", 10);
        var reply = await grain.SubmitAsync(new RunScript(scriptId, "browser_task", actions));
        if (!reply.Accepted)
        {
            return (null, reply);
        }

        var (outcome, done) = await LongPoll.UntilAsync(
            wait => grain.AwaitResultAsync(scriptId, wait), outcome => outcome is not null, Timeout.InfiniteTimeSpan, clock, http.RequestAborted);
        return done ? (outcome, null) : throw new OperationCanceledException(http.RequestAborted);
    }

    /// <summary>The caller's session, or null when the id is not a session of this dialect and key (all answer 404).</summary>
    private static async Task<TaskSnapshot?> FindAsync(IGrainFactory grains, HttpContext http, string sessionId)
    {
        if (!Guid.TryParseExact(sessionId, "D", out _))
        {
            return null;
        }

        var session = await grains.GetGrain<ITaskGrain>(sessionId).GetAsync(0, includeEvents: false);
        return session is { Dialect: Dialects.BrowserSessionApi } && session.Owner == Caller.Tenant(http) ? session : null;
    }

    private static async Task<string?> CurrentUrlAsync(IGrainFactory grains, TaskSnapshot session) =>
        session.Phase.IsFinished() ? null : (await grains.GetGrain<ISessionGrain>(session.Id).DescribeAsync()).Url;

    private static JsonObject Failing(int index, JsonElement action) =>
        Failing(index, action.ValueKind == JsonValueKind.Object && action.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null);

    private static JsonObject Failing(int index, string? type) =>
        new() { ["actionIndex"] = index, ["actionType"] = type, ["actionResults"] = new JsonArray() };

    private static JsonHttpResult<JsonObject> SessionNotFound(string sessionId) =>
        Problem(StatusCodes.Status404NotFound, $"session '{Text.Shorten(sessionId)}' was not found or is closed");

}
