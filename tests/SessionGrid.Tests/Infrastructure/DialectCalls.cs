using System.Net;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>The three dialects, each as its clients call it: how it sends the key, and its error shape.</summary>
public enum Dialect
{
    TaskApi,
    BrowserSessionApi,
    BrowsingApi,
}

/// <summary>
/// One cheap authenticated request and one session open per dialect, with any key, answering the status, the
/// <c>Retry-After</c> header and the body; and the check that an error is in the dialect's own shape.
/// </summary>
public sealed class DialectCalls(string baseUrl)
{
    public static readonly Dialect[] All = [Dialect.TaskApi, Dialect.BrowserSessionApi, Dialect.BrowsingApi];

    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(3) };

    public record Answer(HttpStatusCode Status, JsonNode? Body, string? ContentType, string? RetryAfter);

    /// <summary>A read that needs only a valid key: a list (Task and Browser Session APIs) or an unknown task's status (Browsing API, 404).</summary>
    public Task<Answer> ReadAsync(Dialect dialect, string? key) => dialect switch
    {
        Dialect.TaskApi => SendAsync(dialect, HttpMethod.Get, "/api/v1/task?l=1", key, null),
        Dialect.BrowserSessionApi => SendAsync(dialect, HttpMethod.Get, "/api/v1/browser/sessions?limit=1", key, null),
        _ => SendAsync(dialect, HttpMethod.Get, "/api/v1/browsing/status?task_id=brw_000000000000000000000000", key, null),
    };

    /// <summary>What a successful <see cref="ReadAsync"/> answers.</summary>
    public static HttpStatusCode ReadOk(Dialect dialect) => dialect == Dialect.BrowsingApi ? HttpStatusCode.NotFound : HttpStatusCode.OK;

    /// <summary>Opens a session (a Browsing API task that visits <paramref name="url"/>, with <paramref name="fanout"/> sessions).</summary>
    public Task<Answer> OpenAsync(Dialect dialect, string key, string url, int fanout = 1) => dialect switch
    {
        Dialect.TaskApi => SendAsync(dialect, HttpMethod.Post, "/api/v1/task", key, new JsonObject { ["task"] = null }),
        Dialect.BrowserSessionApi => SendAsync(dialect, HttpMethod.Post, "/api/v1/browser/sessions", key, []),
        _ => SendAsync(dialect, HttpMethod.Post, "/api/v1/browsing/async", key, new JsonObject { ["task"] = url, ["template"] = "visit", ["fanout"] = fanout }),
    };

    /// <summary>What a successful <see cref="OpenAsync"/> answers.</summary>
    public static HttpStatusCode OpenOk(Dialect dialect) => dialect == Dialect.BrowserSessionApi ? HttpStatusCode.Created : HttpStatusCode.OK;

    /// <summary>The id of what <see cref="OpenAsync"/> opened.</summary>
    public static string OpenedId(Dialect dialect, Answer answer) => dialect switch
    {
        Dialect.TaskApi => answer.Body!["r"]!["id"]!.GetValue<string>(),
        Dialect.BrowserSessionApi => answer.Body!["id"]!.GetValue<string>(),
        _ => answer.Body!["task_id"]!.GetValue<string>(),
    };

    /// <summary>Asserts <paramref name="answer"/> is a <paramref name="status"/> error in the dialect's shape, and returns its text.</summary>
    public static string AssertError(Dialect dialect, Answer answer, HttpStatusCode status)
    {
        Assert.True(answer.Status == status, $"{dialect}: expected {status}, got {answer.Status}: {answer.Body?.ToJsonString()}");
        var body = Assert.IsType<JsonObject>(answer.Body);
        switch (dialect)
        {
            case Dialect.TaskApi:
                Assert.Equal(["detail"], body.Select(p => p.Key));
                return body["detail"]!.GetValue<string>();
            case Dialect.BrowserSessionApi:
                Assert.Equal("application/problem+json", answer.ContentType);
                Assert.Equal((int)status, body["status"]!.GetValue<int>());
                Assert.NotNull(body["title"]);
                return body["detail"]!.GetValue<string>();
            default:
                Assert.Equal(["error"], body.Select(p => p.Key));
                return body["error"]!.GetValue<string>();
        }
    }

    /// <summary>Sends the key as the dialect's clients do: the <c>apikey</c> header (Task API) or <c>Authorization: Bearer</c>.</summary>
    public async Task<Answer> SendAsync(Dialect dialect, HttpMethod method, string path, string? key, JsonObject? body)
    {
        var reply = await JsonExchange.SendAsync(_http, method, path, key, body?.ToJsonString(), apiKeyHeader: dialect == Dialect.TaskApi);
        return new Answer(reply.Status, reply.Body, reply.ContentType, reply.RetryAfter);
    }
}
