using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using SessionGrid.Contracts.Agent;

namespace SessionGrid.Api.Agent;

/// <summary>
/// Checks the fields of an agent request against the contract's limits, with a message naming the field: max_steps,
/// response_model, metadata, custom_tools and allowed_urls, as the Task API takes them (<c>POST /task</c> and
/// <c>run_task</c>) and the Browsing API's agent templates give them.
/// </summary>
public static partial class AgentRequestParser
{
    public const int MaxTaskLength = 20_000;
    public const int MaxMetadataKeys = 16;
    public const int MaxMetadataValueLength = 2048;
    public const int MaxCustomTools = 32;
    public const int MaxAllowedUrls = 64;

    public sealed class InvalidAgentRequest(string message) : Exception(message);

    /// <param name="anyMetadataValues">
    /// Whether a metadata value may be any JSON (as the SDK's <c>run_task</c> types it); otherwise a string, a number or a
    /// boolean (as its <c>POST /task</c> does). Either way a value's JSON is at most <see cref="MaxMetadataValueLength"/> characters.
    /// </param>
    public static AgentSpec Spec(string? task, int? maxSteps, JsonElement? responseModel, JsonElement? metadata, IReadOnlyList<ToolSignature> tools, bool anyMetadataValues = false)
    {
        if (string.IsNullOrWhiteSpace(task) || task.Length > MaxTaskLength)
        {
            throw new InvalidAgentRequest($"task must be 1 to {MaxTaskLength} characters");
        }

        if (maxSteps is < AgentSpec.MinSteps or > AgentSpec.MaxStepsLimit)
        {
            throw new InvalidAgentRequest($"max_steps must be between {AgentSpec.MinSteps} and {AgentSpec.MaxStepsLimit}");
        }

        return new AgentSpec(task, maxSteps ?? AgentSpec.DefaultMaxSteps)
        {
            ResponseModel = Schema(responseModel, "response_model"),
            MetadataJson = Metadata(metadata, anyMetadataValues),
            CustomTools = tools,
        };
    }

    /// <summary>
    /// A session's agent run from its input object (the Task API's <c>run_task</c> input, an MCP client's arguments):
    /// <c>task</c>, <c>max_steps</c>, <c>url</c>, <c>response_model</c>, <c>metadata</c> (any JSON values) and <c>secrets</c>.
    /// </summary>
    public static AgentSpec RunTask(JsonElement input)
    {
        var task = Field(input, "task") is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;
        int? maxSteps = Field(input, "max_steps") switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var steps) => steps,
            _ => throw new InvalidAgentRequest("max_steps must be an integer"),
        };
        var url = Field(input, "url") is { ValueKind: JsonValueKind.String } u ? u.GetString() : null;
        if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new InvalidAgentRequest("url must be an absolute URL");
        }

        return Spec(task, maxSteps, Field(input, "response_model"), Field(input, "metadata"), [], anyMetadataValues: true)
            with { StartUrl = url, Secrets = SecretsParser.Parse(Field(input, "secrets")) };
    }

    /// <summary>An extract's <c>schema</c> (required, a JSON schema) and optional <c>prompt</c> from its input object.</summary>
    public static (string Schema, string? Prompt) Extract(JsonElement input) => (
        Schema(Field(input, "schema"), "schema") ?? throw new InvalidAgentRequest("extract needs input.schema (a JSON schema)"),
        Field(input, "prompt") is { ValueKind: JsonValueKind.String } prompt ? prompt.GetString() : null);

    /// <summary>A JSON schema object as compact JSON, or null when absent.</summary>
    public static string? Schema(JsonElement? schema, string field)
    {
        if (schema is null or { ValueKind: JsonValueKind.Null })
        {
            return null;
        }

        if (schema.Value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidAgentRequest($"{field} must be a JSON schema object");
        }

        var text = schema.Value.GetRawText();
        try
        {
            JsonSchema.FromText(text);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidAgentRequest($"{field} is not a valid JSON schema: {ex.Message.Split('\n')[0]}");
        }

        return JsonNode.Parse(text)!.ToJsonString();
    }

    public static IReadOnlyList<ToolSignature> Tools(JsonElement? tools)
    {
        if (tools is null or { ValueKind: JsonValueKind.Null })
        {
            return [];
        }

        if (tools.Value.ValueKind != JsonValueKind.Array || tools.Value.GetArrayLength() > MaxCustomTools)
        {
            throw new InvalidAgentRequest($"custom_tools must be an array of at most {MaxCustomTools} tools");
        }

        var parsed = new List<ToolSignature>();
        var index = 0;
        foreach (var tool in tools.Value.EnumerateArray())
        {
            var at = $"custom_tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidAgentRequest($"{at} must be an object with name, description, inputs and output");
            }

            var name = String(tool, "name") ?? throw new InvalidAgentRequest($"{at}.name is required");
            if (!ToolName().IsMatch(name))
            {
                throw new InvalidAgentRequest($"{at}.name must be 1 to 64 letters, digits, '_' or '-'");
            }

            // A built-in tool's name is the client's to take: the agent offers the client's tool as custom_NAME then.
            if (parsed.Any(t => t.Name == name))
            {
                throw new InvalidAgentRequest($"{at}.name '{name}' is already taken (each custom tool needs a name of its own)");
            }

            var description = String(tool, "description") ?? throw new InvalidAgentRequest($"{at}.description is required");
            if (!tool.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidAgentRequest($"{at}.inputs is required: a JSON schema of the tool's arguments");
            }

            // The SDK's decorator form is a bare {param: {type, description}} map: make it an object schema.
            var schema = inputs.TryGetProperty("type", out _) || inputs.TryGetProperty("properties", out _)
                ? inputs.GetRawText()
                : new JsonObject { ["type"] = "object", ["properties"] = JsonNode.Parse(inputs.GetRawText()) }.ToJsonString();
            parsed.Add(new ToolSignature(name, description, Schema(JsonDocument.Parse(schema).RootElement, $"{at}.inputs")!, String(tool, "output")));
        }

        return parsed;
    }

    public static IReadOnlyList<string> AllowedUrls(string[]? urls)
    {
        if (urls is null)
        {
            return [];
        }

        if (urls.Length > MaxAllowedUrls || urls.Any(u => string.IsNullOrWhiteSpace(u) || u.Length > 2048))
        {
            throw new InvalidAgentRequest($"allowed_urls must be at most {MaxAllowedUrls} non-empty patterns such as https://**.example.com/**");
        }

        return urls;
    }

    private static string? Metadata(JsonElement? metadata, bool anyValues)
    {
        if (metadata is null or { ValueKind: JsonValueKind.Null })
        {
            return null;
        }

        if (metadata.Value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidAgentRequest(anyValues ? "metadata must be a JSON object" : "metadata must be an object of strings, numbers and booleans");
        }

        var count = 0;
        foreach (var entry in metadata.Value.EnumerateObject())
        {
            if (++count > MaxMetadataKeys)
            {
                throw new InvalidAgentRequest($"metadata may have at most {MaxMetadataKeys} keys");
            }

            var length = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString()!.Length,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => entry.Value.GetRawText().Length,
                _ when anyValues => entry.Value.GetRawText().Length,
                _ => throw new InvalidAgentRequest($"metadata.{entry.Name} must be a string, a number or a boolean"),
            };
            if (length > MaxMetadataValueLength)
            {
                throw new InvalidAgentRequest($"metadata.{entry.Name} is longer than {MaxMetadataValueLength} characters");
            }
        }

        return metadata.Value.GetRawText();
    }

    /// <summary>An input field; null when absent or null.</summary>
    private static JsonElement? Field(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
