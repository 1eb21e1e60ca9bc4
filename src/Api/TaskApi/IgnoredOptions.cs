using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionGrid.Api.TaskApi;

/// <summary>
/// The task options SessionGrid accepts but cannot honour here (the SDKs send them on every task, mostly as
/// <c>true</c>): <c>use_stealth</c>, <c>stealth_mode</c>, <c>use_captcha_solver</c> and <c>experimental_features</c>.
/// They never fail a task, whatever their value; the ones a request asked for (true, or a non-empty object: anything
/// but absent, null, false or <c>{}</c>) are listed by name in the answer to <c>POST /task</c> as <c>ignored_options</c>.
/// </summary>
public static class IgnoredOptions
{
    /// <summary>The names of the options <paramref name="request"/> asked for that are ignored, in a fixed order.</summary>
    public static JsonArray Of(TaskRequest request)
    {
        var asked = new (string Name, JsonElement? Value)[]
        {
            ("use_stealth", request.UseStealth),
            ("stealth_mode", request.StealthMode),
            ("use_captcha_solver", request.UseCaptchaSolver),
            ("experimental_features", request.ExperimentalFeatures),
        };
        return new JsonArray([.. asked.Where(o => AskedFor(o.Value)).Select(o => (JsonNode)o.Name)]);
    }

    private static bool AskedFor(JsonElement? value) => value is { } element && element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => false,
        JsonValueKind.Object => element.EnumerateObject().Any(),
        JsonValueKind.Array => element.GetArrayLength() > 0,
        _ => true,
    };
}
