using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>One request with a JSON body (or none) and its answer as a client sees it: status, JSON body, raw bytes, headers.</summary>
public static class JsonExchange
{
    public sealed record Reply(HttpStatusCode Status, JsonNode? Body, string? ContentType, byte[] Bytes, string? RetryAfter)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);
    }

    /// <summary>Sends <paramref name="key"/> as <c>Authorization: Bearer</c>, or as the <c>apikey</c> header when <paramref name="apiKeyHeader"/>.</summary>
    public static async Task<Reply> SendAsync(HttpClient http, HttpMethod method, string path, string? key, string? json, bool apiKeyHeader = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null && apiKeyHeader)
        {
            request.Headers.Add("apikey", key);
        }
        else if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var type = response.Content.Headers.ContentType?.MediaType;
        var body = type is not null && type.Contains("json", StringComparison.Ordinal) && bytes.Length > 0 ? JsonNode.Parse(bytes) : null;
        return new Reply(response.StatusCode, body, type, bytes, response.Headers.RetryAfter?.ToString());
    }
}
