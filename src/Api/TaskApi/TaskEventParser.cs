using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGrid.Api.Actions;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.TaskApi;

/// <summary>
/// Translates a Smooth event (§5.3) into an engine session command, or says why it cannot: 400 for a malformed or
/// unknown event, 422 for agent actions while no agent model is configured.
/// </summary>
public static class TaskEventParser
{
    public const int MaxEventIdLength = 256;

    public readonly record struct Parsed(SessionCommand? Command, int Status, string? Error);

    /// <summary>
    /// The Task API's browser_action names and the engine action each runs: <c>goto</c> and <c>evaluate_js</c> (with
    /// its deprecated alias <c>exec_js</c>) as Smooth names them, the rest by their engine names.
    /// </summary>
    private static readonly Dictionary<string, string> BrowserActionTypes = new(StringComparer.Ordinal)
    {
        ["goto"] = "navigate",
        ["evaluate_js"] = "evaluate",
        ["exec_js"] = "evaluate",
        ["click"] = "click",
        ["type"] = "type",
        ["press"] = "press",
        ["scroll"] = "scroll",
        ["wait"] = "wait",
        ["screenshot"] = "screenshot",
        ["uploadFile"] = "uploadFile",
        ["select"] = "select",
        ["hover"] = "hover",
        ["pdf"] = "pdf",
        ["content"] = "content",
    };

    public static Parsed Parse(TaskEventRequest request, string eventId)
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
            return Fail($"no tool call with id '{eventId}' is waiting for an answer");
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
            ("browser_action", "extract") or ("session_action", "run_task") => NoAgent(action),
            ("browser_action", _) when BrowserActionTypes.TryGetValue(action, out var type) => Browser(request.Name, eventId, type, action, input),
            ("session_action", "close") => new Parsed(new CloseSession(eventId, request.Name), StatusCodes.Status200OK, null),
            ("browser_action", _) => Fail($"unknown browser_action '{Shorten(action)}': expected {string.Join(", ", BrowserActionTypes.Keys)} or extract"),
            ("session_action", _) => Fail($"unknown session_action '{Shorten(action)}': expected run_task or close"),
            _ => Fail($"unknown event name '{Shorten(request.Name)}': expected browser_action, session_action or tool_call"),
        };
    }

    private static Parsed Browser(string channel, string eventId, string type, string name, JsonElement input)
    {
        var parsed = ActionJson.Parse(type, input, name);
        return parsed.Action is { } action
            ? new Parsed(new RunAction(eventId, channel, action), StatusCodes.Status200OK, null)
            : Fail(parsed.Error!);
    }

    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";

    private static Parsed NoAgent(string action) =>
        new(null, StatusCodes.Status422UnprocessableEntity, AgentUnavailable.Detail(action));

    private static Parsed Fail(string error) => new(null, StatusCodes.Status400BadRequest, error);
}
