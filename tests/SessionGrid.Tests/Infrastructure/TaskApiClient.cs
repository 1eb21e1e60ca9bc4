using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>A thin client for the Task API wire: raw status codes and JSON bodies, as a Smooth client sees them.</summary>
public sealed class TaskApiClient(HttpClient http, string? key)
{
    public HttpClient Http => http;

    public record Response(HttpStatusCode Status, JsonNode? Body)
    {
        public JsonNode R => Body?["r"] ?? throw new InvalidOperationException($"No 'r' in {Status}: {Body?.ToJsonString()}");
        public string? Detail => Body?["detail"]?.GetValue<string>();
    }

    public Task<Response> SubmitAsync(string json) => SendAsync(HttpMethod.Post, "/api/v1/task", json);

    public async Task<string> OpenSessionAsync(string? url = null, bool? enableRecording = null)
    {
        var body = new JsonObject { ["task"] = null, ["url"] = url };
        if (enableRecording is { } record)
        {
            body["enable_recording"] = record;
        }

        var response = await SubmitAsync(body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.R["id"]!.GetValue<string>();
    }

    public Task<Response> GetAsync(string taskId, long? eventT = null) =>
        SendAsync(HttpMethod.Get, $"/api/v1/task/{taskId}" + (eventT is { } t ? $"?event_t={t}" : ""), null);

    public Task<Response> ListAsync(string query = "") => SendAsync(HttpMethod.Get, "/api/v1/task" + query, null);

    public Task<Response> CancelAsync(string taskId) => SendAsync(HttpMethod.Delete, $"/api/v1/task/{taskId}", null);

    public Task<Response> EventAsync(string taskId, string json) => SendAsync(HttpMethod.Post, $"/api/v1/task/{taskId}/event", json);

    public Task<Response> ActionAsync(string taskId, string eventId, string channel, string action, JsonObject? input) =>
        EventAsync(taskId, new JsonObject
        {
            ["name"] = channel,
            ["id"] = eventId,
            ["payload"] = new JsonObject { ["name"] = action, ["input"] = input },
        }.ToJsonString());

    /// <summary>Polls the task like the SDK does until the result event with <paramref name="eventId"/> arrives.</summary>
    public Task<JsonNode> WaitForEventAsync(string taskId, string eventId, TimeSpan? timeout = null) =>
        Eventually.Until(async () =>
        {
            var response = await GetAsync(taskId);
            return response.R["events"]?.AsArray().FirstOrDefault(e => e?["id"]?.GetValue<string>() == eventId);
        }, timeout ?? TimeSpan.FromSeconds(30), $"event {eventId} of {taskId}");

    /// <summary>Polls the task until an engine notice named <paramref name="name"/> (<c>live_view</c>, say) is among its events.</summary>
    public Task<JsonNode> WaitForNoticeAsync(string taskId, string name, TimeSpan? timeout = null) =>
        Eventually.Until(async () =>
        {
            var response = await GetAsync(taskId);
            return response.R["events"]?.AsArray().FirstOrDefault(e => e?["name"]?.GetValue<string>() == name);
        }, timeout ?? TimeSpan.FromSeconds(30), $"a {name} event of {taskId}");

    public Task<JsonNode> WaitForStatusAsync(string taskId, string status, TimeSpan? timeout = null) =>
        Eventually.Until(async () =>
        {
            var response = await GetAsync(taskId);
            return response.R["status"]!.GetValue<string>() == status ? response.R : null;
        }, timeout ?? TimeSpan.FromSeconds(30), $"{taskId} to be {status}");

    /// <summary><c>POST /file</c> as the SDK sends it: one part named <c>file</c>, optionally <c>file_purpose</c>.</summary>
    public Task<Response> UploadFileAsync(string fileName, byte[] content, string? purpose = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", fileName);
        if (purpose is not null)
        {
            form.Add(new StringContent(purpose), "file_purpose");
        }

        return SendContentAsync(HttpMethod.Post, "/api/v1/file", form);
    }

    /// <summary>Uploads a file and returns its id.</summary>
    public async Task<string> UploadedFileAsync(string fileName, byte[] content, string? purpose = null)
    {
        var response = await UploadFileAsync(fileName, content, purpose);
        return response.R["id"]!.GetValue<string>();
    }

    public Task<Response> SendAsync(HttpMethod method, string path, string? json) =>
        SendContentAsync(method, path, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<Response> SendContentAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("apikey", key);
        }

        request.Content = content;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Response(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
