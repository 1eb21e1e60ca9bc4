using System.Text.Json.Nodes;
using SessionGrid.Api.Actions;
using SessionGrid.Api.Http;

namespace SessionGrid.Api.Mcp;

/// <summary>One argument of a tool: its name, its JSON schema, and whether it is required.</summary>
public sealed record ToolArg(string Name, JsonObject Schema, bool Required = false)
{
    public ToolArg Require() => this with { Required = true };

    /// <summary>This argument with another description (for a tool that uses a shared argument its own way).</summary>
    public ToolArg Described(string description)
    {
        var schema = Schema.DeepClone().AsObject();
        schema["description"] = description;
        return this with { Schema = schema };
    }
}

/// <summary>
/// The input schemas of the MCP tools: flat objects of the arguments a model fills in, closed to other arguments, each
/// string with its longest length (an oversized argument is refused before anything runs).
/// </summary>
public static class ToolSchema
{
    public const int MaxUrlLength = 8192;
    public const int MaxTextLength = 65_536;
    public const int MaxScriptLength = 262_144;

    /// <summary>The object schema of <paramref name="args"/>: each a property (a copy: the shared ones serve many tools), the required ones listed, no others allowed.</summary>
    public static JsonObject Object(params ToolArg[] args) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject(args.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)a.Schema.DeepClone()))),
        ["required"] = new JsonArray([.. args.Where(a => a.Required).Select(a => (JsonNode?)a.Name)]),
        ["additionalProperties"] = false,
    };

    public static ToolArg String(string name, string description, int maxLength, int minLength = 1) => new(name, new JsonObject
    {
        ["type"] = "string",
        ["description"] = description,
        ["minLength"] = minLength,
        ["maxLength"] = maxLength,
    });

    public static ToolArg Enum(string name, string description, params string[] values) => new(name, new JsonObject
    {
        ["type"] = "string",
        ["description"] = description,
        ["enum"] = new JsonArray([.. values.Select(v => (JsonNode?)v)]),
    });

    public static ToolArg Integer(string name, string description, int minimum) => new(name, new JsonObject
    {
        ["type"] = "integer",
        ["description"] = description,
        ["minimum"] = minimum,
    });

    public static ToolArg Number(string name, string description) => new(name, new JsonObject { ["type"] = "number", ["description"] = description });

    public static ToolArg Boolean(string name, string description) => new(name, new JsonObject { ["type"] = "boolean", ["description"] = description });

    /// <summary>A JSON object argument (a JSON schema, metadata).</summary>
    public static ToolArg ObjectArg(string name, string description) => new(name, new JsonObject { ["type"] = "object", ["description"] = description });

    /// <summary>An argument that may be any JSON value.</summary>
    public static ToolArg AnyArg(string name, string description) => new(name, new JsonObject { ["description"] = description });

    /// <summary>A point in CSS pixels, <c>{x, y}</c>.</summary>
    public static ToolArg Point(string name, string description) => new(name, new JsonObject
    {
        ["type"] = "object",
        ["description"] = description,
        ["properties"] = new JsonObject
        {
            ["x"] = new JsonObject { ["type"] = "number" },
            ["y"] = new JsonObject { ["type"] = "number" },
        },
        ["required"] = new JsonArray("x", "y"),
        ["additionalProperties"] = false,
    });

    // The arguments most tools share.

    public static readonly ToolArg SessionId = String("session_id", "The session's id, from session_open or session_list", OwnedTasks.MaxIdLength).Require();

    public static readonly ToolArg Element = Integer("element", "An element's number in the last snapshot", 0);

    public static readonly ToolArg Selector = String("selector", "A CSS selector (or Playwright selector such as text=Sign in); instead of element", ActionJson.MaxSelectorLength);

    public static readonly ToolArg TimeoutMs = Integer("timeout_ms", "How long the action may take, in ms (default 30000)", 1);

    public static readonly ToolArg Url = String("url", "An absolute URL", MaxUrlLength);
}
