using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>The official MCP client (<c>ModelContextProtocol</c>) against a host's <c>/mcp</c>, over real HTTP, and short forms of its calls.</summary>
public static class McpClients
{
    /// <summary>A connected client: Streamable HTTP, the key in the <c>apikey</c> header (or as <c>Authorization: Bearer</c>).</summary>
    public static Task<McpClient> ConnectAsync(SessionGridHost host, string key = TestKeys.A, bool bearer = false) =>
        McpClient.CreateAsync(Transport(host.BaseUrl, bearer ? new() { ["Authorization"] = "Bearer " + key } : new() { ["apikey"] = key }));

    public static HttpClientTransport Transport(string baseUrl, Dictionary<string, string> headers) =>
        new(new HttpClientTransportOptions
        {
            Endpoint = new Uri(baseUrl + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });

    /// <summary>Calls a tool with JSON arguments.</summary>
    public static async Task<CallToolResult> CallAsync(this McpClient client, string tool, JsonObject? arguments = null) =>
        await client.CallToolAsync(tool, arguments?.ToDictionary(a => a.Key, a => a.Value is null ? null : (object?)JsonSerializer.SerializeToElement(a.Value)));

    /// <summary>Calls a tool that must succeed, and answers its text.</summary>
    public static async Task<string> CallOkAsync(this McpClient client, string tool, JsonObject? arguments = null)
    {
        var result = await client.CallAsync(tool, arguments);
        Assert.True(result.IsError is not true, $"{tool} failed: {result.Text()}");
        return result.Text();
    }

    /// <summary>Opens a session (at <paramref name="url"/>) and answers its id.</summary>
    public static async Task<string> OpenSessionAsync(this McpClient client, string? url = null)
    {
        var opened = JsonNode.Parse(await client.CallOkAsync("session_open", url is null ? null : new JsonObject { ["url"] = url }))!;
        return opened["session_id"]!.GetValue<string>();
    }

    /// <summary>Runs JavaScript in a session through the <c>evaluate</c> tool and answers its value.</summary>
    public static async Task<JsonNode?> EvaluateAsync(this McpClient client, string sessionId, string script) =>
        JsonNode.Parse(await client.CallOkAsync("evaluate", new JsonObject { ["session_id"] = sessionId, ["script"] = script }));

    /// <summary>The text blocks of a result, joined.</summary>
    public static string Text(this CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
