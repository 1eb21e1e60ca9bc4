using System.Diagnostics;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace SessionGrid.Bench;

public sealed partial class Measurements
{
    /// <summary>
    /// h. One action's round trip over MCP (an <c>evaluate</c> tool call with the official client: one POST answered on
    /// its stream) beside the same action through the Task API (an <c>evaluate_js</c> event, then the long-poll that
    /// brings its result), on one session, the two alternating so both see the same machine.
    /// </summary>
    public async Task<JsonObject> McpRoundTripAsync()
    {
        var calls = sizes.Workflows * Actions;
        var id = await host.OpenTaskSessionAsync(pages.Page);
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(host.BaseUrl + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["apikey"] = BenchHost.Key },
        }));

        async Task McpCallAsync(int i)
        {
            var result = await client.CallToolAsync("evaluate", new Dictionary<string, object?>
            {
                ["session_id"] = id,
                ["script"] = $"{i} + 1",
            });
            Check(result.IsError is not true, $"the MCP evaluate failed: {string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text))}");
        }

        var cursor = 0L;
        await McpCallAsync(0); // warm-up, not counted
        cursor = await RunEventAsync(id, "evaluate_js", new JsonObject { ["js"] = "0 + 1" }, cursor);
        var mcp = new List<double>(calls);
        var taskApi = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await McpCallAsync(i);
            mcp.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            cursor = await RunEventAsync(id, "evaluate_js", new JsonObject { ["js"] = $"{i} + 1" }, cursor);
            taskApi.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        await host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}");
        return new JsonObject
        {
            ["mcp_tool_call"] = Json(Stats.Of(mcp)),
            ["task_api_event"] = Json(Stats.Of(taskApi)),
            ["ratio_p50"] = Math.Round(Stats.Of(mcp).P50 / Stats.Of(taskApi).P50, 2),
        };
    }
}
