using System.Text.Json;
using System.Text.Json.Nodes;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.LiveView;

/// <summary>
/// A viewer's input message on the live view's WebSocket: <c>{"type": "mouse", "action": "move|down|up|click", "x", "y",
/// "button"?: "left|middle|right"}</c>, <c>{"type": "wheel", "x", "y", "deltaX", "deltaY"}</c>, <c>{"type": "key", "key":
/// "Enter"}</c> (a Playwright key name, <c>Control+A</c> too) or <c>{"type": "text", "text": "…"}</c>. Points are CSS
/// pixels of the remote page's viewport (a frame's <c>width</c> × <c>height</c>).
/// </summary>
public static class LiveInputJson
{
    /// <summary>The input, or null with <paramref name="error"/> saying what is wrong with the message.</summary>
    public static LiveInput? Parse(string message, out string? error)
    {
        error = null;
        try
        {
            if (JsonNode.Parse(message) is not JsonObject json)
            {
                error = "an input message is a JSON object";
                return null;
            }

            switch (String(json, "type"))
            {
                case "mouse":
                    return new LiveMouse(
                        Enum.TryParse<LiveMouseAction>(String(json, "action"), ignoreCase: true, out var action) && Enum.IsDefined(action)
                            ? action : throw new FormatException("action must be move, down, up or click"),
                        Number(json, "x"),
                        Number(json, "y"),
                        String(json, "button") is not { } button ? LiveMouseButton.Left
                            : Enum.TryParse<LiveMouseButton>(button, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                                ? parsed : throw new FormatException("button must be left, middle or right"));
                case "wheel":
                    return new LiveWheel(Number(json, "x"), Number(json, "y"), Number(json, "deltaX"), Number(json, "deltaY"));
                case "key":
                    return new LiveKey(String(json, "key") ?? throw new FormatException("key is required"));
                case "text":
                    return new LiveText(String(json, "text") ?? throw new FormatException("text is required"));
                default:
                    error = "type must be mouse, wheel, key or text";
                    return null;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            error = ex is FormatException ? ex.Message : "an input message is a JSON object";
            return null;
        }
    }

    private static string? String(JsonObject json, string name) => json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static double Number(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : throw new FormatException($"{name} must be a number");
}
