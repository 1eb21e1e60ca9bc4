using System.Text.Json;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Agent;

namespace SessionGrid.Api.Agent;

/// <summary>
/// Reads <c>POST /task</c>'s <c>additional_tools</c>: Smooth's <c>{NAME: options | null}</c>, where NAME is one of
/// <see cref="AdditionalTool.Names"/> and null means the tool's defaults. <c>screenshot</c> takes
/// <c>{"full_page": true | false}</c>; the others take no options. An unknown name, an unknown option or an option of
/// the wrong type is refused, naming it.
/// </summary>
public static class AdditionalToolsParser
{
    /// <summary>The tools, in the request's order; empty when the field is absent or null.</summary>
    public static IReadOnlyList<AdditionalTool> Parse(JsonElement? tools)
    {
        if (tools is null or { ValueKind: JsonValueKind.Null })
        {
            return [];
        }

        var known = string.Join(", ", AdditionalTool.Names);
        if (tools.Value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"additional_tools must be an object of tool names ({known}) to their options or null");
        }

        var parsed = new List<AdditionalTool>();
        foreach (var tool in tools.Value.EnumerateObject())
        {
            if (!AdditionalTool.Names.Contains(tool.Name))
            {
                throw Invalid($"additional_tools: unknown tool '{Text.Shorten(tool.Name)}': expected one of {known}");
            }

            if (parsed.Any(t => t.Name == tool.Name))
            {
                throw Invalid($"additional_tools.{tool.Name} is given twice");
            }

            parsed.Add(Tool(tool.Name, tool.Value));
        }

        return parsed;
    }

    private static AdditionalTool Tool(string name, JsonElement options)
    {
        var at = "additional_tools." + name;
        if (options.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw Invalid($"{at} must be an object of options, or null for the defaults");
        }

        var tool = new AdditionalTool(name);
        if (options.ValueKind == JsonValueKind.Null)
        {
            return tool;
        }

        foreach (var option in options.EnumerateObject())
        {
            tool = (name, option.Name) switch
            {
                (AdditionalTool.Screenshot, "full_page") => option.Value.ValueKind switch
                {
                    JsonValueKind.True or JsonValueKind.False => tool with { FullPage = option.Value.GetBoolean() },
                    JsonValueKind.Null => tool,
                    _ => throw Invalid($"{at}.full_page must be true or false"),
                },
                (AdditionalTool.Screenshot, _) => throw Invalid($"{at} has no option '{Text.Shorten(option.Name)}': it takes full_page"),
                _ => throw Invalid($"{at} takes no options (got '{Text.Shorten(option.Name)}'): send null or {{}}"),
            };
        }

        return tool;
    }

    private static AgentRequestParser.InvalidAgentRequest Invalid(string message) => new(message);
}
