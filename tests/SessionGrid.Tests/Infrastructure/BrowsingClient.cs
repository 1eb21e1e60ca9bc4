using System.Net;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>A thin client for the dat.ai Browsing API wire: Bearer auth, raw status codes and JSON bodies.</summary>
public sealed class BrowsingClient(HttpClient http, string? key)
{
    public record Response(HttpStatusCode Status, JsonNode? Body, byte[] Bytes, string? ContentType)
    {
        public string? Error => Body?["error"]?.GetValue<string>();
    }

    public Task<Response> AsyncAsync(JsonObject body) => SendAsync(HttpMethod.Post, "/api/v1/browsing/async", body.ToJsonString());

    public Task<Response> SyncAsync(JsonObject body) => SendAsync(HttpMethod.Post, "/api/v1/browsing/sync", body.ToJsonString());

    public Task<Response> StatusAsync(string taskId) => SendAsync(HttpMethod.Get, $"/api/v1/browsing/status?task_id={Uri.EscapeDataString(taskId)}", null);

    /// <summary>Submits a task and returns its id (asserting it was accepted).</summary>
    public async Task<string> SubmitAsync(JsonObject body)
    {
        var response = await AsyncAsync(body);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response.Status}: {response.Body?.ToJsonString()}");
        return response.Body!["task_id"]!.GetValue<string>();
    }

    /// <summary>Polls the status until the task is completed or failed.</summary>
    public Task<JsonNode> FinishedAsync(string taskId, TimeSpan? timeout = null) =>
        Eventually.Until(async () =>
        {
            var status = (await StatusAsync(taskId)).Body!;
            return status["status"]!.GetValue<string>() is "completed" or "failed" ? status : null;
        }, timeout ?? TimeSpan.FromSeconds(60), $"browsing task {taskId} to finish");

    public async Task<Response> SendAsync(HttpMethod method, string path, string? json)
    {
        var reply = await JsonExchange.SendAsync(http, method, path, key, json);
        return new Response(reply.Status, reply.Body, reply.Bytes, reply.ContentType);
    }
}
