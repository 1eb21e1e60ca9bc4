using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SessionGrid.Contracts.Actions;
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

        var action = actionName.GetString();
        return (request.Name, action) switch
        {
            ("browser_action", "goto") => Goto(request.Name, eventId, input),
            ("browser_action", "evaluate_js" or "exec_js") => EvaluateJs(request.Name, eventId, input),
            ("browser_action", "extract") or ("session_action", "run_task") => NoAgent(action!),
            ("session_action", "close") => new Parsed(new CloseSession(eventId, request.Name), StatusCodes.Status200OK, null),
            ("browser_action", _) => Fail($"unknown browser_action '{action}': expected goto, extract, evaluate_js or exec_js"),
            ("session_action", _) => Fail($"unknown session_action '{action}': expected run_task or close"),
            _ => Fail($"unknown event name '{request.Name}': expected browser_action, session_action or tool_call"),
        };
    }

    private static Parsed Goto(string channel, string eventId, JsonElement input)
    {
        var url = StringField(input, "url");
        if (string.IsNullOrWhiteSpace(url))
        {
            return Fail("goto needs input.url (a string)");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return Fail($"input.url must be an absolute URL");
        }

        return new Parsed(new RunAction(eventId, channel, new NavigateAction(url)), StatusCodes.Status200OK, null);
    }

    private static Parsed EvaluateJs(string channel, string eventId, JsonElement input)
    {
        var js = StringField(input, "js");
        if (string.IsNullOrWhiteSpace(js))
        {
            return Fail("evaluate_js needs input.js (a string of JavaScript)");
        }

        var args = input.ValueKind == JsonValueKind.Object && input.TryGetProperty("args", out var a) && a.ValueKind != JsonValueKind.Null
            ? a.GetRawText()
            : null;
        return new Parsed(new RunAction(eventId, channel, new EvaluateAction(js, args)), StatusCodes.Status200OK, null);
    }

    private static string? StringField(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Parsed NoAgent(string action) =>
        new(null, StatusCodes.Status422UnprocessableEntity, AgentUnavailable.Detail(action));

    private static Parsed Fail(string error) => new(null, StatusCodes.Status400BadRequest, error);
}
