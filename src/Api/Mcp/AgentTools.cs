using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SessionGrid.Api.Agent;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Sessions;
using static SessionGrid.Api.Mcp.ToolSchema;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// The tools that use the server's AI agent, offered only when a model is configured: <c>extract</c> and
/// <c>run_task</c>, with the arguments (and checks) of the Task API's <c>extract</c> and <c>run_task</c>, run by the
/// same agent in the session's mailbox. An agent run's steps are recorded in the session's task events.
/// </summary>
public static class AgentTools
{
    public static IEnumerable<McpTool> All =>
    [
        new("extract", "Extract data matching a JSON schema from the current page, with the AI model.",
            Object(SessionId, ObjectArg("schema", "A JSON schema of the data to extract").Require(), String("prompt", "What to look for, in words", AgentRequestParser.MaxTaskLength)),
            call => RunAsync(call, input =>
            {
                var (schema, prompt) = AgentRequestParser.Extract(input);
                return new Extract(McpToolCall.NewCommandId(), McpToolCall.Channel, schema, prompt);
            }),
            new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = true }),
        new("run_task", "Let the AI agent carry out a task in the session (it sees and drives the page) and get its result.",
            Object(SessionId, String("task", "What to do, in words", AgentRequestParser.MaxTaskLength).Require(),
                Integer("max_steps", $"The most steps the agent may take ({AgentSpec.MinSteps}–{AgentSpec.MaxStepsLimit}, default {AgentSpec.DefaultMaxSteps})", AgentSpec.MinSteps),
                Url.Described("Where to start: an absolute URL (default: the current page)"),
                ObjectArg("response_model", "A JSON schema the result must match"),
                ObjectArg("metadata", "Variables for the agent, a JSON object"),
                ObjectArg("secrets", "{NAME: {value, allowed_urls}}: the agent types {{secret:NAME}} and never sees the value")),
            call => RunAsync(call, input => new RunAgent(McpToolCall.NewCommandId(), McpToolCall.Channel, AgentRequestParser.RunTask(input))),
            new ToolAnnotations { ReadOnlyHint = false, OpenWorldHint = true }),
    ];

    private static async Task<CallToolResult> RunAsync(McpToolCall call, Func<System.Text.Json.JsonElement, SessionCommand> command)
    {
        SessionCommand parsed;
        try
        {
            parsed = command(call.Input("session_id"));
        }
        catch (AgentRequestParser.InvalidAgentRequest ex)
        {
            return McpToolCall.Failed($"{call.Tool}: {ex.Message}");
        }

        return await call.RunAsync(parsed, (_, outcome) => McpToolCall.Value(outcome));
    }

    /// <summary>Adds the agent's tools to the MCP server's when a model is configured.</summary>
    public sealed class Setup(IOptions<AgentOptions> agent) : IConfigureOptions<McpServerOptions>
    {
        public void Configure(McpServerOptions options)
        {
            if (!agent.Value.Configured)
            {
                return;
            }

            options.ToolCollection ??= [];
            foreach (var tool in All)
            {
                options.ToolCollection.TryAdd(tool);
            }
        }
    }
}
