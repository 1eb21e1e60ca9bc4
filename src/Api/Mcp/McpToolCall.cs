using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// One checked tool call: its arguments, the caller (the tenant of the request's key), and the way every tool reaches
/// the engine: a session of the caller's, a command submitted to its mailbox, its outcome collected in short waits
/// (as the Browser Session API collects a task's), and the outcome as an MCP result. A refusal or a failed action is
/// a tool error (<c>isError</c>) carrying the engine's reason, the one the dialects answer with.
/// </summary>
public sealed class McpToolCall(string tool, JsonObject arguments, HttpContext http, McpServer server, CancellationToken cancellationToken)
{
    /// <summary>The channel of the commands MCP tools submit (it labels their results in the engine).</summary>
    public const string Channel = "mcp";

    public string Tool => tool;

    public JsonObject Arguments => arguments;

    public HttpContext Http => http;

    public IGrainFactory Grains => http.RequestServices.GetRequiredService<IGrainFactory>();

    public string Tenant => Caller.Tenant(http);

    public string? String(string name) => arguments[name]?.GetValue<string>();

    public bool? Bool(string name) => arguments[name]?.GetValue<bool>();

    /// <summary>The client now knows of <paramref name="sessionId"/>: it is told when the session ends.</summary>
    public void Watch(string sessionId) => http.RequestServices.GetRequiredService<SessionEndWatches>().Watch(server, sessionId);

    /// <summary>A session was opened for the client: its list of sessions changed, and the new one is watched.</summary>
    public Task OpenedAsync(string sessionId)
    {
        Watch(sessionId);
        return http.RequestServices.GetRequiredService<SessionEndWatches>().ListChangedAsync(server);
    }

    /// <summary>The arguments without <paramref name="names"/>, as the JSON object the engine's parsers read.</summary>
    public JsonElement Input(params string[] names)
    {
        var input = (JsonObject)arguments.DeepClone();
        foreach (var name in names)
        {
            input.Remove(name);
        }

        return JsonSerializer.SerializeToElement(input);
    }

    /// <summary>The caller's open session named by the <c>session_id</c> argument, or the tool error that says why there is none.</summary>
    public async Task<(TaskSnapshot? Session, CallToolResult? Refused)> SessionAsync()
    {
        var id = String("session_id")!;
        var task = await OwnedTasks.FindAsync(Grains, Tenant, Dialects.TaskApi, id);
        return task switch
        {
            null => (null, Failed($"session '{Text.Shorten(id)}' was not found (session_list lists your open sessions)")),
            { Phase: var phase } when phase.IsFinished() => (null, Failed($"the session is closed (task status: {SessionView.Status(phase)})")),
            _ => (Known(task), null),
        };
    }

    private TaskSnapshot Known(TaskSnapshot session)
    {
        Watch(session.Id);
        return session;
    }

    /// <summary>
    /// Runs <paramref name="command"/> in the caller's session and renders its outcome with <paramref name="render"/>;
    /// a refusal (the session does not take it) or a failed outcome is a tool error with its reason.
    /// </summary>
    public async Task<CallToolResult> RunAsync(SessionCommand command, Func<TaskSnapshot, ActionOutcome, CallToolResult> render)
    {
        var (session, refused) = await SessionAsync();
        if (refused is not null)
        {
            return refused;
        }

        var grain = Grains.GetGrain<ISessionGrain>(session!.Id);
        var reply = await grain.SubmitAsync(command);
        if (!reply.Accepted)
        {
            return Failed(reply.Reason ?? "the session did not take the command");
        }

        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var (outcome, done) = await LongPoll.UntilAsync(
            wait => grain.AwaitResultAsync(command.EventId, wait), o => o is not null, Timeout.InfiniteTimeSpan, clock, cancellationToken);
        if (!done)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        var result = outcome!.Results[^1];
        return result.Ok ? render(session, result) : Failed(result.Error ?? $"{result.Action} failed");
    }

    /// <summary>The HTTP request an MCP request came in (its handlers run in it: the SDK flows each request's context).</summary>
    public static HttpContext HttpOf(MessageContext request) =>
        request.Services?.GetService<IHttpContextAccessor>()?.HttpContext
            ?? throw new InvalidOperationException("An MCP request is handled in its HTTP request.");

    /// <summary>A new id for a submitted command.</summary>
    public static string NewCommandId() => Ids.New("mcp_", 10);

    /// <summary>A tool error: the call reached the tool, and the tool says why it did nothing (or what failed).</summary>
    public static CallToolResult Failed(string message) => new() { IsError = true, Content = [new TextContentBlock { Text = message }] };

    /// <summary>An outcome's value as the result (<see cref="Json"/>); an action that only acts answers <c>null</c>.</summary>
    public static CallToolResult Value(ActionOutcome outcome) => Json(outcome.Value is null ? null : JsonNode.Parse(outcome.Value));

    /// <summary>A result of <paramref name="value"/> as JSON text, and as the structured result when it is an object.</summary>
    public static CallToolResult Json(JsonNode? value) => new()
    {
        Content = [new TextContentBlock { Text = value?.ToJsonString() ?? "null" }],
        StructuredContent = value is JsonObject ? JsonSerializer.SerializeToElement(value) : null,
    };
}
