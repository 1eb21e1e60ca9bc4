using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SessionGrid.Api.Artifacts;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Api.LiveView;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Nodes;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Console;

/// <summary>
/// The web console's read-only API under <c>/api/v1/console</c>, for what no dialect answers: the sessions of every
/// dialect in one list, one session with its events whatever its dialect, and the nodes of the capacity board. Keyed
/// and tenant-isolated like the dialects (a key sees its tenant's sessions only); plain snake_case JSON, errors
/// <c>{"detail": "…"}</c>. It changes nothing: the console acts through the dialects and the admin API.
/// </summary>
public static class ConsoleApiEndpoints
{
    public const int MaxListLimit = 100;
    public const int DefaultListLimit = 25;

    /// <summary>The most index entries one list request reads while a status filter skips sessions.</summary>
    public const int MaxScan = 1024;

    private const int ScanChunk = 128;

    public static readonly IReadOnlyDictionary<string, string> DialectNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["task"] = Dialects.TaskApi,
        ["browser-session"] = Dialects.BrowserSessionApi,
        ["browsing"] = Dialects.BrowsingApi,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/console").RequireApiKey("missing or invalid API key: send it in the 'apikey' header", Detail);
        api.MapGet("/sessions", ListSessions).WithDoc(ConsoleApiDocs.ListSessions);
        api.MapGet("/sessions/{sessionId}", GetSession).WithDoc(ConsoleApiDocs.GetSession);
        api.MapGet("/nodes", ListNodes).WithDoc(ConsoleApiDocs.ListNodes);
        return app;
    }

    public static IResult Detail(int status, string message) =>
        TypedResults.Json(new JsonObject { ["detail"] = message }, Json, statusCode: status);

    /// <summary>
    /// The caller's sessions of every dialect (or one), newest first, optionally of one status; <c>next</c> is the
    /// cursor of the following page (<c>t</c>), null at the end.
    /// </summary>
    private static async Task<IResult> ListSessions(HttpContext http, IGrainFactory grains)
    {
        var query = http.Request.Query;
        if (!QueryFlags.TryLong(query["t"], out var before) || before is < 0)
        {
            return Detail(StatusCodes.Status400BadRequest, "t must be the next cursor of a previous page (Unix ms)");
        }

        if (!QueryFlags.TryLong(query["l"], out var limit) || limit is < 1 or > MaxListLimit)
        {
            return Detail(StatusCodes.Status400BadRequest, $"l must be an integer from 1 to {MaxListLimit}");
        }

        string? dialect = null;
        if (query["dialect"] is { Count: > 0 } d && !string.IsNullOrEmpty(d[0]) && !DialectNames.TryGetValue(d[0]!, out dialect))
        {
            return Detail(StatusCodes.Status400BadRequest, "dialect must be task, browser-session or browsing");
        }

        TaskPhase? status = null;
        if (query["status"] is { Count: > 0 } s && !string.IsNullOrEmpty(s[0]))
        {
            if (ParseStatus(s[0]!) is not { } phase)
            {
                return Detail(StatusCodes.Status400BadRequest, "status must be waiting, running, done, failed or cancelled");
            }

            status = phase;
        }

        var tenant = Caller.Tenant(http);
        var index = grains.GetGrain<ITenantGrain>(tenant);
        var want = (int)(limit ?? DefaultListLimit);
        var page = new List<TaskSnapshot>();
        var cursor = before;
        var scanned = 0;
        var exhausted = false;
        while (page.Count < want && scanned < MaxScan)
        {
            var chunk = await index.ListIndexAsync(dialect, cursor, status is null ? want - page.Count : ScanChunk);
            if (chunk.Count == 0)
            {
                exhausted = true;
                break;
            }

            var tasks = await Task.WhenAll(chunk.Select(e => grains.GetGrain<ITaskGrain>(e.Id).GetAsync(0, includeEvents: false)));
            foreach (var (entry, task) in chunk.Zip(tasks))
            {
                scanned++;
                cursor = entry.CreatedAt;
                if (task is not null && task.Owner == tenant && (status is null || task.Phase == status))
                {
                    page.Add(task);
                    if (page.Count == want)
                    {
                        break;
                    }
                }
            }
        }

        var more = !exhausted && cursor is { } last && (await index.ListIndexAsync(dialect, last, 1)).Count > 0;
        var pages = await Task.WhenAll(page.Select(task => task.Phase.IsFinished() ? Task.FromResult<SessionInfo?>(null) : DescribeAsync(grains, task.Id, withTitle: false)));
        var rows = page.Zip(pages, (task, info) => (JsonNode)Row(task, info));
        return TypedResults.Json(new JsonObject { ["sessions"] = new JsonArray([.. rows]), ["next"] = more ? cursor : null }, Json);
    }

    /// <summary>
    /// One of the caller's sessions, of any dialect, with its events after <c>event_t</c> and the path of its live view
    /// while it waits or runs. Another key's session, or none, is a 404.
    /// </summary>
    private static async Task<IResult> GetSession(string sessionId, HttpContext http, IGrainFactory grains, ArtifactLinkUrls artifacts)
    {
        if (!QueryFlags.TryLong(http.Request.Query["event_t"], out var eventT) || eventT is < 0)
        {
            return Detail(StatusCodes.Status400BadRequest, "event_t must be the timestamp (Unix ms) of an event you received, or 0");
        }

        var task = sessionId.Length is 0 or > OwnedTasks.MaxIdLength ? null : await grains.GetGrain<ITaskGrain>(sessionId).GetAsync(eventT ?? 0, includeEvents: true);
        if (task is null || task.Owner != Caller.Tenant(http))
        {
            return Detail(StatusCodes.Status404NotFound, $"session '{Text.Shorten(sessionId, OwnedTasks.MaxIdLength)}' was not found");
        }

        var session = Row(task, task.Phase.IsFinished() ? null : await DescribeAsync(grains, task.Id, withTitle: true));
        session["profile"] = task.Profile is { } profile ? new JsonObject { ["id"] = profile.ProfileId, ["read_only"] = profile.ReadOnly } : null;
        session["output"] = Parse(task.Output);
        session["error"] = task.Error;
        session["live_path"] = task.Phase.IsFinished() || task.LiveToken is not { } token ? null : LiveViewLinks.Link("", task.Id, token);
        session["recording_url"] = artifacts.Recording(http.Request, task);
        session["replay_url"] = artifacts.Replay(http.Request, task);
        session["events"] = new JsonArray([.. task.Events.Select(Event)]);
        return TypedResults.Json(session, Json);
    }

    /// <summary>Every node that reported to the capacity board in the last seconds, by name.</summary>
    private static async Task<IResult> ListNodes(IGrainFactory grains)
    {
        var nodes = await grains.GetGrain<INodeBoardGrain>(0).NodesAsync();
        return TypedResults.Json(new JsonObject
        {
            ["nodes"] = new JsonArray([.. nodes.Select(n => (JsonNode)new JsonObject
            {
                ["name"] = n.Name,
                ["country"] = n.Country,
                ["capacity"] = n.Capacity,
                ["used"] = Math.Max(0, n.Sessions - n.Waiting),
                ["free"] = n.Free,
                ["waiting"] = n.Waiting,
                ["draining"] = n.Draining,
                ["sessions"] = n.Sessions,
                ["chromium_processes"] = n.ChromiumProcesses,
                ["chromium_version"] = n.ChromiumVersion,
                ["version"] = n.Version,
                ["reported_at"] = n.ReportedAt,
            })]),
        }, Json);
    }

    public static string StatusName(TaskPhase phase) => phase.ToString().ToLowerInvariant();

    private static TaskPhase? ParseStatus(string value) => value switch
    {
        "waiting" => TaskPhase.Waiting,
        "running" => TaskPhase.Running,
        "done" => TaskPhase.Done,
        "failed" => TaskPhase.Failed,
        "cancelled" => TaskPhase.Cancelled,
        _ => null,
    };

    /// <summary>Where a waiting or running session's page is now (and its title), as its session grain says; null when it does not answer.</summary>
    private static async Task<SessionInfo?> DescribeAsync(IGrainFactory grains, string sessionId, bool withTitle)
    {
        try
        {
            var session = grains.GetGrain<ISessionGrain>(sessionId);
            return withTitle ? await session.DescribePageAsync() : await session.DescribeAsync();
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    private static JsonObject Row(TaskSnapshot task, SessionInfo? page) => new()
    {
        ["id"] = task.Id,
        ["dialect"] = task.Dialect,
        ["status"] = StatusName(task.Phase),
        ["device"] = DeviceWire.Name(task.Device),
        ["node"] = task.Node,
        ["url"] = task.Url,
        ["current_url"] = page?.Url,
        ["title"] = page?.Title,
        ["created_at"] = task.CreatedAt,
        ["finished_at"] = task.FinishedAt,
        ["credits_used"] = task.CreditsUsed,
    };

    private static JsonNode Event(TaskEvent e) => new JsonObject
    {
        ["id"] = e.Id,
        ["name"] = e.Name,
        ["timestamp"] = e.Timestamp,
        ["action"] = e.Result?.Action,
        ["ok"] = e.Result is { } r ? r.Ok : null,
        ["status"] = e.Result is { } s ? JsonNamingPolicy.SnakeCaseLower.ConvertName(s.Status.ToString()) : null,
        ["output"] = Parse(e.Result?.Value),
        ["error"] = e.Result?.Error,
        ["duration_ms"] = e.Result is { } d ? Math.Round(d.DurationMs, 1) : null,
        ["credits"] = e.Credits,
        ["data"] = Parse(e.Data),
    };

    private static JsonNode? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
