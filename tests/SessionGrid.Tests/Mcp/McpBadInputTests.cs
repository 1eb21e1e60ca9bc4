using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Mcp;

/// <summary>
/// What the MCP server answers to bad input, each a clear MCP error (a JSON-RPC error, or a tool error naming the
/// reason) and never a 5xx, with nothing changed: no or a wrong key, missing, mistyped, unknown or oversized
/// arguments, another key's session, a closed session, a refused URL, an oversized or malformed message.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class McpBadInputTests(SharedHost shared, TestPages pages)
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    public async Task No_or_a_wrong_key_is_a_401_before_the_handshake(string? key)
    {
        var (status, body, headers) = await PostAsync(Initialize, key);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("2.0", body!["jsonrpc"]!.GetValue<string>());
        Assert.Contains("API key", body["error"]!["message"]!.GetValue<string>());
        Assert.False(headers.Contains("Mcp-Session-Id"));

        // The official client fails to connect with the status, and no session was started.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => McpClient.CreateAsync(
            McpClients.Transport(shared.Host.BaseUrl, key is null ? new() : new() { ["apikey"] = key })));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_tool_call_with_a_missing_mistyped_unknown_or_oversized_argument_is_a_tool_error_naming_it()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var sessionId = await client.OpenSessionAsync(pages.Url("/widgets"));

        var missing = await client.CallAsync("navigate", new JsonObject { ["session_id"] = sessionId });
        Assert.True(missing.IsError);
        Assert.Contains("navigate:", missing.Text());
        Assert.Contains("url", missing.Text());

        var mistyped = await client.CallAsync("navigate", new JsonObject { ["session_id"] = sessionId, ["url"] = pages.Url("/"), ["timeout_ms"] = "soon" });
        Assert.True(mistyped.IsError);
        Assert.Contains("argument timeout_ms", mistyped.Text());

        var noSession = await client.CallAsync("evaluate", new JsonObject { ["script"] = "1" });
        Assert.True(noSession.IsError);
        Assert.Contains("session_id", noSession.Text());

        var unknown = await client.CallAsync("click", new JsonObject { ["session_id"] = sessionId, ["selector"] = "#counter", ["force"] = true });
        Assert.True(unknown.IsError);
        Assert.Contains("unknown argument 'force'", unknown.Text());

        var both = await client.CallAsync("click", new JsonObject { ["session_id"] = sessionId, ["selector"] = "#counter", ["element"] = 1 });
        Assert.True(both.IsError);
        Assert.Contains("element or selector, not both", both.Text());

        var stale = await client.CallAsync("click", new JsonObject { ["session_id"] = sessionId, ["element"] = 999, ["timeout_ms"] = 500 });
        Assert.True(stale.IsError);
        Assert.Contains("no element matches", stale.Text());
        Assert.Contains("take a new snapshot", stale.Text());

        var badDevice = await client.CallAsync("session_open", new JsonObject { ["device"] = "tablet" });
        Assert.True(badDevice.IsError);
        Assert.Contains("argument device must be one of desktop, mobile, desktop-lg", badDevice.Text());

        // The engine's own checks, with the dialects' reasons: an action that does not fit the session is refused before it is queued.
        var longWait = await client.CallAsync("wait_for", new JsonObject { ["session_id"] = sessionId, ["selector"] = "#late", ["timeout_ms"] = 10_000_000 });
        Assert.True(longWait.IsError);
        Assert.Contains("timeoutMs must be between 1 and", longWait.Text());

        var oversized = await client.CallAsync("type", new JsonObject { ["session_id"] = sessionId, ["selector"] = "#name", ["text"] = new string('x', 70_000) });
        Assert.True(oversized.IsError);
        Assert.Contains("argument text", oversized.Text());

        // Nothing of it ran: no click counted, nothing typed, the page where it was.
        var state = await client.EvaluateAsync(sessionId, "({ clicks: document.getElementById('clicks').textContent, name: document.getElementById('name').value, url: location.href })");
        Assert.Equal("0", state!["clicks"]!.GetValue<string>());
        Assert.Equal("", state["name"]!.GetValue<string>());
        Assert.Equal(pages.Url("/widgets"), state["url"]!.GetValue<string>());
        await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = sessionId });
    }

    [Fact]
    public async Task Another_keys_session_is_not_found_and_stays_as_it_was()
    {
        await using var owner = await McpClients.ConnectAsync(shared.Host);
        await using var stranger = await McpClients.ConnectAsync(shared.Host, TestKeys.B);
        var sessionId = await owner.OpenSessionAsync(pages.Url("/"));

        foreach (var (tool, arguments) in new (string, JsonObject)[]
        {
            ("navigate", new JsonObject { ["url"] = pages.Url("/second") }),
            ("evaluate", new JsonObject { ["script"] = "document.title" }),
            ("snapshot", []),
            ("session_close", []),
        })
        {
            arguments["session_id"] = sessionId;
            var refused = await stranger.CallAsync(tool, arguments);
            Assert.True(refused.IsError, tool);
            Assert.Contains($"session '{sessionId}' was not found", refused.Text());
        }

        var read = await Assert.ThrowsAsync<McpProtocolException>(() => stranger.ReadResourceAsync($"sessiongrid://sessions/{sessionId}").AsTask());
        Assert.Equal(McpErrorCode.ResourceNotFound, read.ErrorCode);
        Assert.Equal(pages.Url("/"), (await owner.EvaluateAsync(sessionId, "location.href"))!.GetValue<string>());
        await owner.CallOkAsync("session_close", new JsonObject { ["session_id"] = sessionId });
    }

    [Fact]
    public async Task Another_keys_requests_cannot_use_an_MCP_session()
    {
        var (status, _, headers) = await PostAsync(Initialize, TestKeys.A);
        Assert.Equal(HttpStatusCode.OK, status);
        var mcpSession = headers.GetValues("Mcp-Session-Id").Single();

        var list = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";
        var (hijack, body, _) = await PostAsync(list, TestKeys.B, mcpSession);
        Assert.Equal(HttpStatusCode.Forbidden, hijack);
        Assert.NotNull(body!["error"]);
    }

    [Fact]
    public async Task A_call_on_a_closed_session_is_a_tool_error()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var sessionId = await client.OpenSessionAsync();
        await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = sessionId });

        var late = await client.CallAsync("evaluate", new JsonObject { ["session_id"] = sessionId, ["script"] = "1" });
        Assert.True(late.IsError);
        Assert.Contains("the session is closed (task status: done)", late.Text());
        var again = await client.CallAsync("session_close", new JsonObject { ["session_id"] = sessionId });
        Assert.True(again.IsError);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file: scheme is not allowed")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 are not allowed")]
    public async Task A_navigate_the_url_policy_refuses_is_a_tool_error_and_the_page_stays(string url, string expected)
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var sessionId = await client.OpenSessionAsync(pages.Url("/"));
        var refused = await client.CallAsync("navigate", new JsonObject { ["session_id"] = sessionId, ["url"] = url });
        Assert.True(refused.IsError);
        Assert.Contains(expected, refused.Text());
        Assert.Equal(pages.Url("/"), (await client.EvaluateAsync(sessionId, "location.href"))!.GetValue<string>());
        await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = sessionId });
    }

    [Fact]
    public async Task A_session_cannot_open_at_a_url_that_is_not_http()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var refused = await client.CallAsync("session_open", new JsonObject { ["url"] = "file:///etc/passwd" });
        Assert.True(refused.IsError);
        Assert.Contains("url must be an absolute http or https URL", refused.Text());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_with_a_JSON_RPC_error()
    {
        var huge = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = "evaluate", ["arguments"] = new JsonObject { ["session_id"] = "x", ["script"] = new string('x', 1_100_000) } },
        }.ToJsonString();
        var (status, body, _) = await PostAsync(huge, TestKeys.A);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than the limit", body!["error"]!["message"]!.GetValue<string>());

        // Sent without a length (chunked), it is cut at the limit as it is read.
        var (chunked, chunkedBody, _) = await PostAsync(huge, TestKeys.A, chunked: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked);
        Assert.Equal(-32600, chunkedBody!["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("[]")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""")]
    public async Task A_malformed_JSON_RPC_message_is_a_JSON_RPC_error_and_no_5xx(string message)
    {
        var (status, body, _) = await PostAsync(message, TestKeys.A);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["error"]!["message"]);
    }

    [Fact]
    public async Task An_unknown_tool_or_method_is_a_protocol_error()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var unknownTool = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallAsync("teleport", new JsonObject()));
        Assert.Contains("teleport", unknownTool.Message);
        var unknownMethod = await Assert.ThrowsAsync<McpProtocolException>(() => client.SendRequestAsync(new ModelContextProtocol.Protocol.JsonRpcRequest { Method = "browser/explode" }));
        Assert.Equal(McpErrorCode.MethodNotFound, unknownMethod.ErrorCode);
    }

    /// <summary>A raw POST to /mcp as an MCP client sends it (both media types accepted), with a key in the apikey header.</summary>
    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)> PostAsync(string json, string? key, string? mcpSession = null, bool chunked = false)
    {
        using var http = new HttpClient { BaseAddress = new Uri(shared.Host.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (key is not null)
        {
            request.Headers.Add("apikey", key);
        }

        if (mcpSession is not null)
        {
            request.Headers.Add("Mcp-Session-Id", mcpSession);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }

        request.Content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            : new StringContent(json, Encoding.UTF8, "application/json");
        if (chunked)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {text}");
        return (response.StatusCode, Body(text), response.Headers);
    }

    /// <summary>A JSON body, or the data of the first event of an SSE body.</summary>
    private static JsonNode? Body(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var data = text.Split('\n').FirstOrDefault(l => l.StartsWith("data:", StringComparison.Ordinal));
        return JsonNode.Parse(data is null ? text : data["data:".Length..]);
    }
}
