using System.Text.Json.Nodes;
using SessionGrid.Tests.BrowserOptionTests;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Mcp;

/// <summary>
/// <c>session_open</c>'s upstream proxy: the session's pages go through it (through the tests' own forward proxy, which
/// requires basic authentication and records what passed), and a bad proxy is a tool error that never repeats the password.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class McpProxyTests(SharedHost shared, TestPages pages) : IAsyncLifetime
{
    private const string User = "mcp-proxy-user";
    private const string Password = "mcp-proxy-Pa55";
    private readonly ForwardProxy _proxy = new(User, Password);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();

    [Fact]
    public async Task A_session_opened_with_a_proxy_sends_its_pages_through_it_and_a_bad_proxy_is_a_tool_error()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var marker = Guid.NewGuid().ToString("N");
        var opened = JsonNode.Parse(await client.CallOkAsync("session_open", new JsonObject
        {
            ["proxy_server"] = _proxy.Url, ["proxy_username"] = User, ["proxy_password"] = Password,
        }))!;
        var session = opened["session_id"]!.GetValue<string>();
        var localhost = pages.Url("/?m=" + marker).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await client.CallOkAsync("navigate", new JsonObject { ["session_id"] = session, ["url"] = localhost });
        Assert.Equal("SessionGrid test page", (await client.EvaluateAsync(session, "document.title"))!.GetValue<string>());
        Assert.True(_proxy.Passes(marker), "the session's navigation did not pass the proxy");
        Assert.DoesNotContain(Password, opened.ToJsonString());
        await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = session });

        foreach (var bad in new[]
        {
            new JsonObject { ["proxy_server"] = "ftp://127.0.0.1:21" },
            new JsonObject { ["proxy_server"] = "http://127.0.0.1" },
            new JsonObject { ["proxy_server"] = "self" },
            new JsonObject { ["proxy_server"] = $"http://{User}:{Password}@127.0.0.1:{_proxy.Port}", ["proxy_password"] = Password },
        })
        {
            var refused = await client.CallAsync("session_open", bad);
            Assert.True(refused.IsError, $"{bad.ToJsonString()} was accepted");
            Assert.Contains("proxy", refused.Text());
            Assert.DoesNotContain(Password, refused.Text());
        }
    }
}
