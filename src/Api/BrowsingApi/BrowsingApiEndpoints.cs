using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Artifacts;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Api.Limits;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tenants;
using BrowsingStatus = SessionGrid.Contracts.Browsing.BrowsingStatus;

namespace SessionGrid.Api.BrowsingApi;

/// <summary>
/// The dat.ai-compatible Browsing API (<c>specs/datai-browsing-api.md</c>): Bearer auth, raw JSON, errors
/// <c>{"error": "…"}</c>. Parses and checks the wire shape, applies the template, and hands the task to its grain.
/// </summary>
public static partial class BrowsingApiEndpoints
{
    public const int MaxFanout = 10;
    public const int MaxTaskLength = 100_000;
    public const int MaxSessionKeyLength = 256;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapBrowsingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/browsing").RequireApiKey("missing or invalid API key: send it as 'Authorization: Bearer <key>'", (status, message) => Error(status, message));
        api.MapPost("/async", SubmitAsync).WithDoc(BrowsingApiDocs.SubmitAsync);
        api.MapPost("/sync", SubmitSync).WithDoc(BrowsingApiDocs.SubmitSync);
        api.MapGet("/status", GetStatus).WithDoc(BrowsingApiDocs.GetStatus);
        api.MapGet("/screenshots/{taskId}/{file}", GetScreenshot).WithDoc(BrowsingApiDocs.GetScreenshot);
        return app;
    }

    public static JsonHttpResult<JsonObject> Error(int status, string message, string? taskId = null)
    {
        var body = new JsonObject { ["error"] = message };
        if (taskId is not null)
        {
            body["task_id"] = taskId;
        }

        return TypedResults.Json(body, Json, statusCode: status);
    }

    private static async Task<JsonHttpResult<JsonObject>> SubmitAsync(HttpContext http, IGrainFactory grains, IServiceProvider services)
    {
        var (taskId, refused) = await CreateAsync(http, grains, services);
        return refused ?? TypedResults.Json(new JsonObject { ["task_id"] = taskId }, Json);
    }

    /// <summary>Submits a task and waits for it to finish, at most the sync wait (504 after it, or when the client goes away).</summary>
    private static async Task<JsonHttpResult<JsonObject>> SubmitSync(
        HttpContext http, IGrainFactory grains, IServiceProvider services, TimeProvider clock, IOptions<BrowsingOptions> options, ArtifactLinkUrls artifacts)
    {
        var (taskId, refused) = await CreateAsync(http, grains, services);
        if (refused is not null)
        {
            return refused;
        }

        var task = grains.GetGrain<IBrowsingTaskGrain>(taskId!);
        var (status, finished) = await LongPoll.UntilAsync(
            task.WaitAsync, status => status is { Finished: true }, TimeSpan.FromSeconds(options.Value.SyncWaitSeconds), clock, http.RequestAborted);
        return finished
            ? TypedResults.Json(Render(status!, await RecordingAsync(http, grains, artifacts, status!)), Json)
            : Error(StatusCodes.Status504GatewayTimeout,
                $"sync wait timeout: the task is still running after {options.Value.SyncWaitSeconds} seconds; poll /api/v1/browsing/status?task_id={taskId}", taskId);
    }

    private static async Task<JsonHttpResult<JsonObject>> GetStatus(HttpContext http, IGrainFactory grains, ArtifactLinkUrls artifacts)
    {
        var taskId = http.Request.Query["task_id"].ToString();
        if (taskId.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "task_id is required: /api/v1/browsing/status?task_id=<id>");
        }

        var (status, refused) = await FindAsync(http, grains, taskId);
        return refused ?? TypedResults.Json(Render(status!, await RecordingAsync(http, grains, artifacts, status!)), Json);
    }

    /// <summary>
    /// The signed link to the video of the session a finished task's outcome came from (every browsing task is
    /// recorded), once the video is there; null before, and when there is none.
    /// </summary>
    private static async Task<string?> RecordingAsync(HttpContext http, IGrainFactory grains, ArtifactLinkUrls artifacts, BrowsingStatus status) =>
        status.Finished && status.SessionId is { } sessionId && await grains.GetGrain<ITaskGrain>(sessionId).GetAsync(0, includeEvents: false) is { } session
            ? artifacts.Recording(http.Request, session)
            : null;

    private static async Task<Results<FileContentHttpResult, JsonHttpResult<JsonObject>>> GetScreenshot(string taskId, string file, HttpContext http, IGrainFactory grains)
    {
        if (!ScreenshotName().IsMatch(file))
        {
            return Error(StatusCodes.Status400BadRequest, "file must be a screenshot name from the task's status, such as screenshot-01.png");
        }

        var (_, refused) = await FindAsync(http, grains, taskId);
        if (refused is not null)
        {
            return refused;
        }

        var shot = await grains.GetGrain<IBrowsingTaskGrain>(taskId).ScreenshotAsync(file);
        return shot is null
            ? Error(StatusCodes.Status404NotFound, $"screenshot '{file}' of task '{taskId}' was not found (screenshots are kept at most 5 days)")
            : TypedResults.Bytes(shot.Content, shot.ContentType, fileDownloadName: null);
    }

    /// <summary>Checks and submits a task; returns its id, or the error to answer (nothing was created).</summary>
    private static async Task<(string? TaskId, JsonHttpResult<JsonObject>? Refused)> CreateAsync(HttpContext http, IGrainFactory grains, IServiceProvider services)
    {
        var body = await JsonBody.ReadAsync<BrowsingRequest>(http.Request, services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes, Json);
        if (!body.Ok)
        {
            return (null, Error(body.Status, body.Error!));
        }

        var request = body.Value!;
        BrowsingSubmission submission;
        try
        {
            submission = Submission(request, Caller.Tenant(http), services);
        }
        catch (BrowsingTemplates.TemplateException ex)
        {
            return (null, Error(StatusCodes.Status400BadRequest, ex.Message));
        }

        var taskId = Ids.New("brw_");
        var sessions = submission.SessionKey is null ? submission.Fanout : 1;
        if (await SessionLimit.ClaimAsync(http, grains, new SessionClaim(taskId, SessionClaimKind.BrowsingTask, sessions)) is { } full)
        {
            return (null, Error(StatusCodes.Status429TooManyRequests, full));
        }

        var reply = await grains.GetGrain<IBrowsingTaskGrain>(taskId).SubmitAsync(submission);
        if (reply.Accepted)
        {
            return (taskId, null);
        }

        await SessionLimit.ReleaseAsync(http, grains, taskId);
        return (null, Error(StatusCodes.Status400BadRequest, reply.Reason!));
    }

    private static BrowsingSubmission Submission(BrowsingRequest request, string owner, IServiceProvider services)
    {
        static Exception Bad(string message) => new BrowsingTemplates.TemplateException(message);

        if (string.IsNullOrWhiteSpace(request.Task) || request.Task.Length > MaxTaskLength)
        {
            throw Bad($"task is required: the instruction to execute (1 to {MaxTaskLength} characters)");
        }

        ScreenshotMode? mode = null;
        if (request.Screenshots is { } screenshots)
        {
            mode = screenshots.Mode switch
            {
                "final_only" => ScreenshotMode.FinalOnly,
                "every_step" => ScreenshotMode.EveryStep,
                "on_navigation" => ScreenshotMode.OnNavigation,
                null => throw Bad("screenshots.mode is required when screenshots is given: final_only, every_step or on_navigation"),
                var other => throw Bad($"screenshots.mode '{other}' is unknown: use final_only, every_step or on_navigation"),
            };
        }

        var fanout = request.Fanout ?? 1;
        if (fanout is < 1 or > MaxFanout)
        {
            throw Bad($"fanout must be between 1 and {MaxFanout}");
        }

        if (request.Timeout is < 1 or > BrowsingOptions.MaxTimeoutMs)
        {
            throw Bad($"timeout must be between 1 and {BrowsingOptions.MaxTimeoutMs} milliseconds (3 hours)");
        }

        var filter = request.Filter is { } f ? new NodeFilter(Blank(f.NodeUid), Blank(f.CountryIso)?.ToUpperInvariant()) : NodeFilter.Any;
        if (filter is { NodeUid: not null, CountryIso: not null })
        {
            throw Bad("filter.country_iso and filter.node_uid are mutually exclusive: give only one");
        }

        if (filter.CountryIso is { } country && !CountryCode().IsMatch(country))
        {
            throw Bad("filter.country_iso must be a two-letter ISO country code such as DE or US");
        }

        var sessionKey = Blank(request.SessionKey);
        if (sessionKey is { Length: > MaxSessionKeyLength })
        {
            throw Bad($"session_key must be at most {MaxSessionKeyLength} characters");
        }

        if (sessionKey is not null && fanout > 1)
        {
            throw Bad("session_key and a fanout above 1 cannot be combined: a keyed session lives on one node");
        }

        var agentConfigured = services.GetRequiredService<IOptions<AgentOptions>>().Value.Configured;
        var plan = services.GetRequiredService<BrowsingTemplates>().Plan(Blank(request.Template), request.Task, agentConfigured);
        return new BrowsingSubmission(owner, plan, filter, fanout, (int?)request.Timeout, sessionKey, mode, request.Screenshots?.FullPage ?? true);
    }

    /// <summary>The task's status as the dialect shows it; result fields (with the <paramref name="recording"/> link) once it finished.</summary>
    private static JsonObject Render(BrowsingStatus status, string? recording)
    {
        var body = new JsonObject
        {
            ["task_id"] = status.TaskId,
            ["status"] = Status(status.Phase),
            ["created_at"] = WireTime.Iso(status.CreatedAt),
            ["node_uid"] = status.Node,
        };
        if (status.Finished)
        {
            body["completed_at"] = WireTime.Iso(status.FinishedAt ?? status.CreatedAt);
            body["success"] = status.Success == true;
            body["payload"] = status.PayloadJson is null ? null : JsonNode.Parse(status.PayloadJson);
            body["error"] = status.Error;
            body["execution_time_ms"] = status.ExecutionTimeMs;
            body["screenshots"] = new JsonArray([.. status.Screenshots.Select(s => (JsonNode)JsonValue.Create(s))]);
            body["info"] = new JsonObject { ["node_uid"] = status.Node };
            body["recording"] = recording;
        }

        return body;
    }

    /// <summary>The engine's phase in the dat.ai words: <c>queued</c>, <c>assigned</c>, <c>running</c>, <c>completed</c>, <c>failed</c>.</summary>
    private static string Status(BrowsingPhase phase) => phase switch
    {
        BrowsingPhase.Waiting => "queued",
        BrowsingPhase.Placed => "assigned",
        BrowsingPhase.Running => "running",
        BrowsingPhase.Done => "completed",
        BrowsingPhase.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "a browsing phase the dialect has no word for"),
    };

    /// <summary>The caller's task, or the error to answer: 404 unknown, 403 another key's.</summary>
    private static async Task<(BrowsingStatus? Status, JsonHttpResult<JsonObject>? Refused)> FindAsync(HttpContext http, IGrainFactory grains, string taskId)
    {
        if (!TaskId().IsMatch(taskId))
        {
            return (null, Error(StatusCodes.Status404NotFound, $"task '{Text.Shorten(taskId)}' was not found"));
        }

        var status = await grains.GetGrain<IBrowsingTaskGrain>(taskId).StatusAsync();
        return status is null
            ? (null, Error(StatusCodes.Status404NotFound, $"task '{taskId}' was not found"))
            : status.Owner != Caller.Tenant(http)
                ? (null, Error(StatusCodes.Status403Forbidden, $"task '{taskId}' belongs to a different API key"))
                : (status, null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^brw_[0-9a-f]{24}$")]
    private static partial Regex TaskId();

    [GeneratedRegex("^screenshot-[0-9]{2,4}\\.png$")]
    private static partial Regex ScreenshotName();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();
}
