using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// One MCP tool over the engine: its name, a one-line description a model can act on, its input schema, and what it
/// does with a call. Every call is checked against the schema before anything runs, so a missing, wrongly typed,
/// unknown or oversized argument is a tool error naming the argument, and nothing changes.
/// </summary>
public sealed class McpTool : McpServerTool
{
    private static readonly EvaluationOptions ListErrors = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;
    private readonly JsonObject _properties;
    private readonly Func<McpToolCall, Task<CallToolResult>> _run;

    public McpTool(string name, string description, JsonObject schema, Func<McpToolCall, Task<CallToolResult>> run, ToolAnnotations? annotations = null)
    {
        _schema = JsonSchema.FromText(schema.ToJsonString());
        _properties = schema["properties"]?.AsObject() ?? [];
        _run = run;
        ProtocolTool = new Tool
        {
            Name = name,
            Description = description,
            InputSchema = JsonSerializer.SerializeToElement(schema),
            Annotations = annotations,
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var name = ProtocolTool.Name;
        var arguments = new JsonObject();
        foreach (var (key, value) in request.Params?.Arguments ?? new Dictionary<string, JsonElement>())
        {
            arguments[key] = JsonSerializer.SerializeToNode(value);
        }

        if (Problem(arguments) is { } problem)
        {
            return McpToolCall.Failed($"{name}: {problem}");
        }

        var http = McpToolCall.HttpOf(request);
        try
        {
            return await _run(new McpToolCall(name, arguments, http, request.Server, cancellationToken));
        }
        catch (Exception ex) when (ex is Orleans.Runtime.OrleansException or TimeoutException)
        {
            return McpToolCall.Failed("the cluster could not answer in time (a node may have just been lost); retry in a few seconds");
        }
    }

    /// <summary>What is wrong with the arguments, naming each argument, or null when they fit the schema.</summary>
    private string? Problem(JsonObject arguments)
    {
        var result = _schema.Evaluate(arguments, ListErrors);
        if (result.IsValid)
        {
            return null;
        }

        var problems = result.Details
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => Describe(d.InstanceLocation.ToString(), d.EvaluationPath.ToString(), e.Key, e.Value)))
            .Distinct()
            .ToList();
        return problems.Count == 0 ? "the arguments do not fit the tool's input schema" : string.Join("; ", problems);
    }

    private string Describe(string location, string evaluationPath, string keyword, string message)
    {
        var argument = location.TrimStart('/').Replace('/', '.');
        return argument switch
        {
            "" => message,
            _ when evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal) => $"unknown argument '{argument}'",
            _ when keyword == "enum" && _properties[argument]?["enum"] is JsonArray values =>
                $"argument {argument} must be one of {string.Join(", ", values.Select(v => v!.GetValue<string>()))}",
            _ => $"argument {argument}: {message}",
        };
    }
}
