using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Http;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// Each of the caller's open sessions as an MCP resource, <c>sessiongrid://sessions/{id}</c>, whose contents are the
/// session as <see cref="SessionView"/> shows it (status, current URL and title, live-view link). A client may
/// subscribe to one: when the session ends it gets <c>notifications/resources/updated</c>, and every client that knows
/// the session <c>notifications/resources/list_changed</c> (<see cref="SessionEndWatches"/>). Another key's session,
/// or one that never was, is an unknown resource.
/// </summary>
public static class SessionResources
{
    public const string MimeType = "application/json";

    public static readonly ResourceTemplate Template = new()
    {
        Name = "session",
        Title = "A browser session",
        UriTemplate = SessionView.UriPrefix + "{session_id}",
        Description = "A browser session of yours: its status, current URL and title, and live-view link",
        MimeType = MimeType,
    };

    public static async ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> request, CancellationToken cancellationToken)
    {
        var http = Http(request);
        var watches = http.RequestServices.GetRequiredService<SessionEndWatches>();
        var open = await OpenSessions.ListAsync(Grains(http), Caller.Tenant(http));
        foreach (var (task, _) in open)
        {
            watches.Watch(request.Server, task.Id);
        }

        return new ListResourcesResult
        {
            Resources = [.. open.Select(s => new Resource
            {
                Uri = SessionView.Uri(s.Task.Id),
                Name = s.Task.Id,
                Title = s.Page.Title,
                Description = $"Browser session {s.Task.Id} ({SessionView.Status(s.Task.Phase)}) at {s.Page.Url ?? s.Task.Url ?? "about:blank"}",
                MimeType = MimeType,
            })],
        };
    }

    public static ValueTask<ListResourceTemplatesResult> TemplatesAsync(RequestContext<ListResourceTemplatesRequestParams> request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListResourceTemplatesResult { ResourceTemplates = [Template] });

    public static async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken)
    {
        var uri = request.Params?.Uri ?? "";
        var (http, task) = await FindAsync(request, uri);
        var page = task.Phase.IsFinished() ? null : await Grains(http).GetGrain<ISessionGrain>(task.Id).DescribePageAsync();
        var services = http.RequestServices;
        var view = SessionView.Describe(task, page, http.Request, services.GetRequiredService<LiveViewLinks>(), services.GetRequiredService<CdpLinks>());
        return new ReadResourceResult { Contents = [new TextResourceContents { Uri = uri, MimeType = MimeType, Text = view.ToJsonString() }] };
    }

    public static async ValueTask<EmptyResult> SubscribeAsync(RequestContext<SubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        var (http, task) = await FindAsync(request, request.Params?.Uri ?? "");
        http.RequestServices.GetRequiredService<SessionEndWatches>().Subscribe(request.Server, task.Id);
        return new EmptyResult();
    }

    public static ValueTask<EmptyResult> UnsubscribeAsync(RequestContext<UnsubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        if (SessionView.IdOf(request.Params?.Uri ?? "") is { } sessionId)
        {
            Http(request).RequestServices.GetRequiredService<SessionEndWatches>().Unsubscribe(request.Server, sessionId);
        }

        return ValueTask.FromResult(new EmptyResult());
    }

    /// <summary>The caller's session a resource URI names; an MCP error (resource not found) when it names none of theirs.</summary>
    private static async Task<(HttpContext Http, TaskSnapshot Task)> FindAsync<T>(RequestContext<T> request, string uri)
    {
        var http = Http(request);
        var task = SessionView.IdOf(uri) is { } sessionId ? await OwnedTasks.FindAsync(Grains(http), Caller.Tenant(http), Dialects.TaskApi, sessionId) : null;
        return task is null
            ? throw new McpProtocolException($"Unknown resource: '{Text.Shorten(uri)}' is not a session of yours (resources/list lists them)", McpErrorCode.ResourceNotFound)
            : (http, task);
    }

    private static HttpContext Http<T>(RequestContext<T> request) => McpToolCall.HttpOf(request);

    private static IGrainFactory Grains(HttpContext http) => http.RequestServices.GetRequiredService<IGrainFactory>();
}
