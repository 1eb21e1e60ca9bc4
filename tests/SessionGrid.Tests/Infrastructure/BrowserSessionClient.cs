using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>A thin client for the Browser Session API wire: Bearer auth, raw status codes and JSON bodies, as a ScrapEngine client sees them.</summary>
public sealed class BrowserSessionClient(HttpClient http, string? key)
{
    public record Response(HttpStatusCode Status, JsonNode? Body, string? ContentType, byte[] Bytes)
    {
        public JsonNode Json => Body ?? throw new InvalidOperationException($"No JSON body with {Status}");
        public string? Detail => Body?["detail"]?.GetValue<string>();
    }

    public Task<Response> CreateAsync(string json = "{}") => SendAsync(HttpMethod.Post, "/api/v1/browser/sessions", json);

    public async Task<string> OpenAsync(JsonObject? options = null)
    {
        var response = await CreateAsync((options ?? []).ToJsonString());
        Assert.Equal(HttpStatusCode.Created, response.Status);
        return response.Json["id"]!.GetValue<string>();
    }

    public Task<Response> GetAsync(string sessionId) => SendAsync(HttpMethod.Get, $"/api/v1/browser/sessions/{sessionId}", (HttpContent?)null);

    public Task<Response> ListAsync(string query = "") => SendAsync(HttpMethod.Get, "/api/v1/browser/sessions" + query, (HttpContent?)null);

    public Task<Response> DeleteAsync(string sessionId) => SendAsync(HttpMethod.Delete, $"/api/v1/browser/sessions/{sessionId}", (HttpContent?)null);

    public Task<Response> TaskAsync(string sessionId, string json) => SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{sessionId}/tasks", json);

    public Task<Response> TaskAsync(string sessionId, JsonObject body) => TaskAsync(sessionId, body.ToJsonString());

    /// <summary>Runs one action (after an optional navigation) and returns the response.</summary>
    public Task<Response> ActionAsync(string sessionId, JsonObject action, string? url = null) =>
        TaskAsync(sessionId, new JsonObject { ["url"] = url, ["actions"] = new JsonArray(action) });

    public Task<Response> PdfAsync(string sessionId, string json = "") => SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{sessionId}/pdf", json);

    public async Task<Response> UploadAsync(string sessionId, string fileName, byte[] content, string partName = "file")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, partName, fileName);
        return await SendAsync(HttpMethod.Post, $"/api/v1/browser/sessions/{sessionId}/files", form);
    }

    public Task<Response> SendAsync(HttpMethod method, string path, string? json) =>
        SendAsync(method, path, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>A request as <paramref name="configure"/> makes it (a Range header, say), with the key, answered as it came.</summary>
    public async Task<HttpResponseMessage> RawAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        configure?.Invoke(request);
        return await http.SendAsync(request);
    }

    public async Task<Response> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var type = response.Content.Headers.ContentType?.MediaType;
        var body = type is not null && type.Contains("json", StringComparison.Ordinal) && bytes.Length > 0 ? JsonNode.Parse(bytes) : null;
        return new Response(response.StatusCode, body, type, bytes);
    }
}
