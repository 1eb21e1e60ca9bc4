using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Api.Auth;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Mcp;

/// <summary>
/// A host with short idle sessions and tight per-key limits: key A may hold one session at a time, key B may send three
/// requests, then waits (the request rate). Sessions idle for two seconds close themselves.
/// </summary>
public sealed class McpLimitHost : IAsyncLifetime
{
    public SessionGridHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        static string Tenant(string key) => ApiKeyHash.TenantOf(ApiKeyHash.Of(key));
        Host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Session:IdleTimeoutSeconds"] = "2",
            [$"SessionGrid:Limits:Keys:{Tenant(TestKeys.A)}:MaxConcurrentSessions"] = "1",
            [$"SessionGrid:Limits:Keys:{Tenant(TestKeys.B)}:RequestsPerSecond"] = "0.001",
            [$"SessionGrid:Limits:Keys:{Tenant(TestKeys.B)}:Burst"] = "3",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

/// <summary>The per-key limits and the idle timeout hold for sessions opened over MCP as for any other.</summary>
public sealed class McpLimitTests(McpLimitHost fixture, TestPages pages) : IClassFixture<McpLimitHost>
{
    [Fact]
    public async Task The_session_limit_refuses_a_second_open_until_the_idle_timeout_ends_the_first_which_is_notified()
    {
        await using var client = await McpClients.ConnectAsync(fixture.Host);
        var first = await client.OpenSessionAsync(pages.Url("/"));
        var uri = $"sessiongrid://sessions/{first}";
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.SubscribeToResourceAsync(uri, (notification, _) =>
        {
            ended.TrySetResult(notification.Uri);
            return ValueTask.CompletedTask;
        });

        var refused = await client.CallAsync("session_open");
        Assert.True(refused.IsError);
        Assert.Contains("concurrent session limit reached: this API key may have 1 sessions open at once", refused.Text());

        // Left alone, the session closes itself; its subscriber hears of it, and the Task API says why.
        Assert.Equal(uri, await ended.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var record = await fixture.Host.Client().GetAsync(first);
        Assert.Equal("done", record.R["status"]!.GetValue<string>());
        Assert.Equal("idle_timeout", record.R["events"]!.AsArray()[^1]!["payload"]!["reason"]!.GetValue<string>());

        var second = await client.OpenSessionAsync();
        await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = second });
    }

    [Fact]
    public async Task A_key_past_its_request_rate_gets_429_with_Retry_After_and_a_JSON_RPC_error()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Host.BaseUrl) };
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 4; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            request.Headers.Add("apikey", TestKeys.B);
            limited = await http.SendAsync(request);
            statuses.Add(limited.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        Assert.True(limited!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var body = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.Contains("rate limit reached", body["error"]!["message"]!.GetValue<string>());

        // Another key is not held back.
        await using var client = await McpClients.ConnectAsync(fixture.Host, TestKeys.A);
        Assert.NotEmpty(await client.ListToolsAsync());
    }
}
