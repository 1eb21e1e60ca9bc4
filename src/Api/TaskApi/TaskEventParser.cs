using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGrid.Api.Actions;
using SessionGrid.Api.Agent;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.TaskApi;

/// <summary>
/// Translates a Smooth event (§5.3) into an engine session command, or says why it cannot: 400 for a malformed or
/// unknown event, 422 for agent actions while no agent model is configured.
/// </summary>
public static class TaskEventParser
{
    public const int MaxEventIdLength = 256;

    /// <summary>A command for the session, or an answer to a tool call, or the error status and message.</summary>
    public readonly record struct Parsed(SessionCommand? Command, int Status, string? Error, ToolAnswer? Answer = null);

    /// <summary>
    /// The Task API's browser_action names and the engine action each runs, from the action registry: Smooth's own
    /// names first (<c>goto</c>, <c>evaluate_js</c> and its deprecated alias <c>exec_js</c>), then the actions it names
    /// by their engine names.
    /// </summary>
    private static readonly Dictionary<string, string> BrowserActionTypes = ActionRegistry.All
        .OrderBy(entry => entry.RenamedByTaskApi ? 0 : 1)
        .SelectMany(entry => entry.TaskApiNames.Select(name => KeyValuePair.Create(name, entry.Name)))
        .ToDictionary(StringComparer.Ordinal);

    public static Parsed Parse(TaskEventRequest request, string eventId, bool agentConfigured)
    {
        if (string.IsNullOrEmpty(request.Name))
        {
            return Fail("name is required: one of browser_action, session_action, tool_call");
        }

        if (request.Payload is not { ValueKind: JsonValueKind.Object } payload)
        {
            return Fail("payload is required and must be a JSON object");
        }

        if (request.Name == "tool_call")
        {
            return ToolCallAnswer(payload);
        }

        if (!payload.TryGetProperty("name", out var actionName) || actionName.ValueKind != JsonValueKind.String)
        {
            return Fail("payload.name is required and must be a string");
        }

        var input = payload.TryGetProperty("input", out var inputElement) ? inputElement : default;
        if (input.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            return Fail("payload.input must be a JSON object");
        }

        var action = actionName.GetString()!;
        return (request.Name, action) switch
        {
            ("browser_action", "extract") or ("session_action", "run_task") when !agentConfigured => NoAgent(action),
            ("browser_action", "extract") => Agent(() =>
            {
                var (schema, prompt) = AgentRequestParser.Extract(input);
                return new Extract(eventId, request.Name, schema, prompt);
            }),
            ("session_action", "run_task") => Agent(() => new RunAgent(eventId, request.Name, AgentRequestParser.RunTask(input))),
            ("browser_action", _) when BrowserActionTypes.TryGetValue(action, out var type) => Browser(request.Name, eventId, type, action, input),
            ("session_action", "close") => new Parsed(new CloseSession(eventId, request.Name), StatusCodes.Status200OK, null),
            ("browser_action", _) => Fail($"unknown browser_action '{Text.Shorten(action)}': expected {string.Join(", ", BrowserActionTypes.Keys)} or extract"),
            ("session_action", _) => Fail($"unknown session_action '{Text.Shorten(action)}': expected run_task or close"),
            _ => Fail($"unknown event name '{Text.Shorten(request.Name)}': expected browser_action, session_action or tool_call"),
        };
    }

    private static Parsed Browser(string channel, string eventId, string type, string name, JsonElement input)
    {
        var parsed = ActionJson.Parse(type, input, name);
        return parsed.Action is { } action
            ? new Parsed(new RunAction(eventId, channel, action), StatusCodes.Status200OK, null)
            : Fail(parsed.Error!);
    }

    private static Parsed Agent(Func<SessionCommand> build)
    {
        try
        {
            return new Parsed(build(), StatusCodes.Status200OK, null);
        }
        catch (AgentRequestParser.InvalidAgentRequest ex)
        {
            return Fail(ex.Message);
        }
    }

    /// <summary>A client's answer to a tool call: <c>{code: 200 | 400 | 500, output}</c>.</summary>
    private static Parsed ToolCallAnswer(JsonElement payload)
    {
        if (!payload.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number
            || !code.TryGetInt32(out var status) || status is not (200 or 400 or 500))
        {
            return Fail("a tool_call answer needs payload.code: the number 200, 400 or 500");
        }

        var output = payload.TryGetProperty("output", out var o) ? o.GetRawText() : null;
        return new Parsed(null, StatusCodes.Status200OK, null, new ToolAnswer(status, output));
    }

    private static Parsed NoAgent(string action) =>
        new(null, StatusCodes.Status422UnprocessableEntity, AgentUnavailable.Detail(action));

    private static Parsed Fail(string error) => new(null, StatusCodes.Status400BadRequest, error);
}
