using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Agent;
using SessionGrid.Api.Artifacts;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Http;
using SessionGrid.Api.Limits;
using SessionGrid.Api.LiveView;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.TaskApi;

/// <summary>
/// The Smooth-compatible Task API (<c>specs/smooth-task-api.md</c>): <c>{"r": …}</c> envelopes, <c>{"detail": …}</c>
/// errors, <c>apikey</c> header auth. Parses the wire shape, calls grains, renders the result; nothing else.
/// </summary>
public static class TaskApiEndpoints
{
    public const int MaxListLimit = 128;
    public const int DefaultListLimit = 32;
    private const int MaxIdLength = OwnedTasks.MaxIdLength;

    private static readonly UpstreamProxy.FieldNames ProxyFields = new("proxy_server", "proxy_username", "proxy_password", "bypass");

    /// <summary>How far ahead of this node's clock an <c>event_t</c> may be (event timestamps can run ahead of it by a few ms).</summary>
    private const long MaxEventTAheadMs = 60_000;

    /// <summary>
    /// The Task API's statuses for a session's refusals: the default, except that a session that ended or is not open
    /// here (or a credential it does not take) is a bad request, 400, as Smooth answers an event to a closed session.
    /// </summary>
    private static readonly RefusalStatuses Refusals = RefusalStatuses.Default
        .With(SessionRefusal.Closed, StatusCodes.Status400BadRequest)
        .With(SessionRefusal.NotOpenHere, StatusCodes.Status400BadRequest)
        .With(SessionRefusal.Forbidden, StatusCodes.Status400BadRequest);

    public static IEndpointRouteBuilder MapTaskApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireApiKey("missing or invalid API key: send it in the 'apikey' header", (status, message) => Detail(status, message));
        api.MapPost("/task", SubmitTask).WithDoc(TaskApiDocs.SubmitTask);
        api.MapGet("/task", ListTasks).WithDoc(TaskApiDocs.ListTasks);
        api.MapGet("/task/{taskId}", GetTask).WithDoc(TaskApiDocs.GetTask);
        api.MapDelete("/task/{taskId}", CancelTask).WithDoc(TaskApiDocs.CancelTask);
        api.MapPost("/task/{taskId}/event", SendEvent).WithDoc(TaskApiDocs.SendEvent);
        api.MapPost("/telemetry", () => TypedResults.NoContent()).WithDoc(TaskApiDocs.Telemetry);
        api.MapTaskFiles();
        api.MapTaskExtensions();
        api.MapTaskProfiles();
        return app;
    }

    public static JsonHttpResult<JsonObject> Detail(int status, string message) =>
        TypedResults.Json(new JsonObject { ["detail"] = message }, TaskApiWire.Json, statusCode: status);

    public static JsonHttpResult<JsonObject> Envelope(JsonNode? payload, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(new JsonObject { ["r"] = payload }, TaskApiWire.Json, statusCode: status);

    private static async Task<JsonHttpResult<JsonObject>> SubmitTask(
        HttpContext http, IGrainFactory grains, LiveViewLinks live, CdpLinks cdp, ArtifactLinkUrls artifacts, IOptions<ApiOptions> options,
        IOptions<AgentOptions> agentOptions, IOptions<SessionFileOptions> fileOptions, IOptions<ExtensionOptions> extensionOptions)
    {
        var body = await JsonBody.ReadAsync<TaskRequest>(http.Request, options.Value.MaxBodyBytes, TaskApiWire.Json);
        if (!body.Ok)
        {
            return Detail(body.Status, body.Error!);
        }

        var request = body.Value!;
        if (DeviceWire.Parse(request.Device) is not { } device)
        {
            return Detail(StatusCodes.Status400BadRequest, DeviceWire.Invalid);
        }

        if (IsolationWire.Parse(request.Isolation) is not { } isolation)
        {
            return Detail(StatusCodes.Status400BadRequest, IsolationWire.Invalid);
        }

        if (request.Agent is not (null or "smooth" or "smooth-lite"))
        {
            return Detail(StatusCodes.Status400BadRequest, $"agent must be smooth or smooth-lite (got '{Text.Shorten(request.Agent)}')");
        }

        if (request.MaxSteps is < 2 or > 128)
        {
            return Detail(StatusCodes.Status400BadRequest, "max_steps must be between 2 and 128");
        }

        if (request.Url is not null && !WebUrl.IsValid(request.Url))
        {
            return Detail(StatusCodes.Status400BadRequest, WebUrl.Invalid);
        }

        var (proxy, badProxy) = UpstreamProxy.Parse(request.ProxyServer, request.ProxyUsername, request.ProxyPassword, null, ProxyFields);
        var (certificates, badCertificates) = CertificateWire.Parse(request.Certificates);
        if ((badProxy ?? badCertificates) is { } badExtras)
        {
            return Detail(StatusCodes.Status400BadRequest, badExtras);
        }

        if (request.Task is not null && !agentOptions.Value.Configured)
        {
            return Detail(StatusCodes.Status422UnprocessableEntity, AgentUnavailable.Detail("a task string"));
        }

        var lite = request.Agent == "smooth-lite";
        SessionSpec spec;
        try
        {
            var tools = AgentRequestParser.Tools(request.CustomTools);
            var additionalTools = AdditionalToolsParser.Parse(request.AdditionalTools);
            var secrets = SecretsParser.Parse(request.Secrets);
            if (request.Task is null && secrets.Count > 0)
            {
                throw new AgentRequestParser.InvalidAgentRequest("secrets are for the task's agent: a session (task null) takes them with each run_task");
            }

            spec = new SessionSpec(Caller.Tenant(http), device, request.Url)
            {
                Agent = request.Task is null ? null : AgentRequestParser.Spec(request.Task, request.MaxSteps, request.ResponseModel, request.Metadata, tools)
                    with { Secrets = secrets, AdditionalTools = additionalTools, Lite = lite },
                AllowedUrls = AgentRequestParser.AllowedUrls(request.AllowedUrls),
                CustomTools = tools,
                AdditionalTools = additionalTools,
                LiteAgent = lite,
                Isolation = isolation,
                Extras = new BrowserExtras
                {
                    Proxy = proxy, BlockAds = request.UseAdblock ?? true, Certificates = certificates, ShowCursor = request.ShowCursor ?? false,
                },
                Record = request.EnableRecording ?? true,
            };
        }
        catch (AgentRequestParser.InvalidAgentRequest ex)
        {
            return Detail(StatusCodes.Status400BadRequest, ex.Message);
        }

        var (profile, badProfile) = TaskProfileEndpoints.Use(request);
        if (badProfile is not null)
        {
            return Detail(StatusCodes.Status400BadRequest, badProfile);
        }

        if (await TaskFileEndpoints.CheckFilesAsync(request.Files, http, grains, fileOptions.Value) is { } badFiles)
        {
            return badFiles;
        }

        if (await TaskExtensionEndpoints.CheckExtensionsAsync(request.Extensions, http, grains, extensionOptions.Value) is { } badExtensions)
        {
            return badExtensions;
        }

        spec = spec with { Files = request.Files ?? [], Profile = profile, Extras = spec.Extras with { Extensions = request.Extensions ?? [] } };
        var taskId = Ids.New("task_");
        if (await SessionLimit.ClaimAsync(http, grains, new SessionClaim(taskId, SessionClaimKind.Session)) is { } full)
        {
            return Detail(StatusCodes.Status429TooManyRequests, full);
        }

        if (await grains.GetGrain<ISessionGrain>(taskId).OpenAsync(spec) is { Accepted: false } refused)
        {
            await SessionLimit.ReleaseAsync(http, grains, taskId);
            return Detail(Refusals.Of(refused), refused.Reason ?? "the session could not be opened");
        }

        var task = await grains.GetGrain<ITaskGrain>(taskId).GetAsync(0, includeEvents: false);
        var answer = TaskApiWire.Task(task!, live.ForTask(http.Request, task!), cdp.ForTask(http.Request, task!), artifacts.Recording(http.Request, task!), withEvents: false);
        answer["ignored_options"] = IgnoredOptions.Of(request);
        return Envelope(answer);
    }

    private static async Task<JsonHttpResult<JsonObject>> ListTasks(HttpContext http, IGrainFactory grains, LiveViewLinks live, CdpLinks cdp, ArtifactLinkUrls artifacts)
    {
        var query = http.Request.Query;
        if (!QueryFlags.TryLong(query["t"], out var before))
        {
            return Detail(StatusCodes.Status400BadRequest, "t must be an integer timestamp (Unix ms)");
        }

        if (!QueryFlags.TryLong(query["l"], out var limit) || limit is < 1 or > MaxListLimit)
        {
            return Detail(StatusCodes.Status400BadRequest, $"l must be an integer from 1 to {MaxListLimit}");
        }

        var tenant = Caller.Tenant(http);
        var ids = await grains.GetGrain<ITenantGrain>(tenant).ListTasksAsync(Dialects.TaskApi, before, (int)(limit ?? DefaultListLimit));
        var tasks = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: false)));
        var page = tasks.Where(t => t is not null && t.Owner == tenant)
            .Select(t => (JsonNode)TaskApiWire.Task(t!, live.ForTask(http.Request, t!), cdp.ForTask(http.Request, t!), artifacts.Recording(http.Request, t!), withEvents: false));
        return Envelope(new JsonArray([.. page]));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetTask(
        string taskId, HttpContext http, IGrainFactory grains, LiveViewLinks live, CdpLinks cdp, ArtifactLinkUrls artifacts, IOptions<ApiOptions> options, TimeProvider clock, HeldPolls held)
    {
        var query = http.Request.Query;
        if (!QueryFlags.TryLong(query["event_t"], out var eventT))
        {
            return Detail(StatusCodes.Status400BadRequest, "event_t must be an integer timestamp (Unix ms)");
        }

        if (eventT is < 0 || eventT > clock.GetUtcNow().ToUnixTimeMilliseconds() + MaxEventTAheadMs)
        {
            return Detail(StatusCodes.Status400BadRequest,
                "event_t must be the timestamp (Unix ms) of an event you received, or 0: it may not be negative or in the future");
        }

        if (!QueryFlags.TryBool(query["downloads"], out var downloads))
        {
            return Detail(StatusCodes.Status400BadRequest, "downloads must be true or false");
        }

        var task = await FindAsync(grains, http, taskId, eventT ?? 0, includeEvents: true);
        if (task is null)
        {
            return NotFound(taskId);
        }

        task = await HoldAsync(task, eventT ?? 0, grains, options.Value, clock, held, http.RequestAborted);
        var finished = task.Phase.IsFinished();
        var downloadsUrl = downloads && finished ? await DownloadsUrlAsync(grains, http.Request, artifacts, taskId) : null;
        return Envelope(TaskApiWire.Task(task, live.ForTask(http.Request, task), cdp.ForTask(http.Request, task), artifacts.Recording(http.Request, task), withEvents: true, downloadsUrl),
            finished ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>The link to the ZIP of what the task's pages downloaded (and the agent captured); "" when there is nothing.</summary>
    private static async Task<string> DownloadsUrlAsync(IGrainFactory grains, HttpRequest request, ArtifactLinkUrls artifacts, string taskId)
    {
        var listing = await grains.GetGrain<ISessionArtifactsGrain>(taskId).DownloadsAsync();
        return listing.Files.Count == 0 ? "" : artifacts.DownloadArchive(request, taskId, listing.Token);
    }

    /// <summary>
    /// The long-poll: while the task has work in flight and nothing new for the reader, the read waits (in short grain
    /// calls that block nothing) until an event lands or the status changes, at most <see cref="ApiOptions.LongPollSeconds"/>;
    /// then the task as it is. A reader that goes away ends the wait.
    /// </summary>
    private static async Task<TaskSnapshot> HoldAsync(
        TaskSnapshot task, long eventT, IGrainFactory grains, ApiOptions options, TimeProvider clock, HeldPolls held, CancellationToken aborted)
    {
        if (task.Events.Count > 0 || task.Phase.IsFinished() || !task.InFlight || options.LongPollSeconds <= 0)
        {
            return task;
        }

        using var holding = held.Hold();
        var grain = grains.GetGrain<ITaskGrain>(task.Id);
        var (_, changed) = await LongPoll.UntilAsync(
            wait => grain.WaitForChangeAsync(eventT, task.Phase, wait, aborted), change => change,
            TimeSpan.FromSeconds(options.LongPollSeconds), clock, aborted);
        return changed && await grain.GetAsync(eventT, includeEvents: true) is { } now ? now : task;
    }

    private static async Task<JsonHttpResult<JsonObject>> CancelTask(string taskId, HttpContext http, IGrainFactory grains)
    {
        var task = await FindAsync(grains, http, taskId, 0, includeEvents: false);
        if (task is null || task.Phase.IsFinished())
        {
            return Detail(StatusCodes.Status404NotFound, $"task '{Text.Shorten(taskId, MaxIdLength)}' was not found or has already finished");
        }

        await grains.GetGrain<ISessionGrain>(taskId).CancelAsync();
        return Envelope(JsonValue.Create(true));
    }

    private static async Task<JsonHttpResult<JsonObject>> SendEvent(string taskId, HttpContext http, IGrainFactory grains, IOptions<ApiOptions> options, IOptions<AgentOptions> agentOptions)
    {
        var body = await JsonBody.ReadAsync<TaskEventRequest>(http.Request, options.Value.MaxBodyBytes, TaskApiWire.Json);
        if (!body.Ok)
        {
            return Detail(body.Status, body.Error!);
        }

        var request = body.Value!;
        if (request.Id is { Length: > TaskEventParser.MaxEventIdLength })
        {
            return Detail(StatusCodes.Status400BadRequest, $"id must be at most {TaskEventParser.MaxEventIdLength} characters");
        }

        var eventId = string.IsNullOrEmpty(request.Id) ? Ids.New("evt_", 10) : request.Id;
        var parsed = TaskEventParser.Parse(request, eventId, agentOptions.Value.Configured);
        if (parsed.Error is not null)
        {
            return Detail(parsed.Status, parsed.Error);
        }

        var task = await FindAsync(grains, http, taskId, 0, includeEvents: false);
        if (task is null)
        {
            return NotFound(taskId);
        }

        if (task.Phase.IsFinished())
        {
            return Detail(StatusCodes.Status400BadRequest, $"the session is closed (task status: {TaskApiWire.Status(task.Phase)})");
        }

        var session = grains.GetGrain<ISessionGrain>(taskId);
        var reply = parsed.Answer is { } answer
            ? await session.AnswerToolCallAsync(eventId, answer)
            : await session.EnqueueAsync(parsed.Command!);
        return reply.Accepted
            ? Envelope(new JsonObject { ["id"] = eventId })
            : Detail(Refusals.Of(reply), reply.Reason!);
    }

    /// <summary>
    /// The caller's Task API task, or null when it does not exist, belongs to another key or is another dialect's
    /// (a Browser Session API session, a Browsing API task's session): all answer 404.
    /// </summary>
    private static Task<TaskSnapshot?> FindAsync(IGrainFactory grains, HttpContext http, string taskId, long eventsAfter, bool includeEvents) =>
        OwnedTasks.FindAsync(grains, Caller.Tenant(http), Dialects.TaskApi, taskId, eventsAfter, includeEvents);

    private static JsonHttpResult<JsonObject> NotFound(string taskId) =>
        Detail(StatusCodes.Status404NotFound, $"task '{Text.Shorten(taskId, MaxIdLength)}' was not found");
}
