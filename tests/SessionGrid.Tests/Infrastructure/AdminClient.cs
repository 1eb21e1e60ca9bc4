using System.Net;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>A thin client for the admin API (<c>/api/v1/admin/keys</c>): raw status codes and JSON bodies.</summary>
public sealed class AdminClient(string baseUrl, string? key = AdminClient.Key)
{
    /// <summary>The admin key the tests' hosts are configured with (<c>SessionGrid:AdminKeys</c>).</summary>
    public const string Key = "test-admin-key";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl) };

    public record Response(HttpStatusCode Status, JsonNode? Body, string? ContentType, string Text);

    /// <summary>An issued key as the create answer shows it.</summary>
    public sealed record IssuedKey(string Id, string Key, string Tenant, string? Name);

    public Task<Response> CreateAsync(JsonObject? body = null) => SendAsync(HttpMethod.Post, "/api/v1/admin/keys", (body ?? []).ToJsonString());

    public Task<Response> ListAsync() => SendAsync(HttpMethod.Get, "/api/v1/admin/keys", null);

    public Task<Response> RevokeAsync(string keyId) => SendAsync(HttpMethod.Delete, $"/api/v1/admin/keys/{keyId}", null);

    /// <summary>Issues a key (asserting 201) and returns it.</summary>
    public async Task<IssuedKey> IssueAsync(string? name = null, string? tenant = null)
    {
        var response = await CreateAsync(new JsonObject { ["name"] = name, ["tenant"] = tenant });
        Assert.True(response.Status == HttpStatusCode.Created, $"{response.Status}: {response.Text}");
        var body = response.Body!;
        return new IssuedKey(body["id"]!.GetValue<string>(), body["key"]!.GetValue<string>(), body["tenant"]!.GetValue<string>(), body["name"]?.GetValue<string>());
    }

    public async Task<Response> SendAsync(HttpMethod method, string path, string? json)
    {
        var reply = await JsonExchange.SendAsync(_http, method, path, key, json);
        return new Response(reply.Status, reply.Body, reply.ContentType, reply.Text);
    }
}
