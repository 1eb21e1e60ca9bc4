using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Auth;

/// <summary>A host where each tenant may have 2 sessions open (the key name <c>three</c>: 3), with no rate limit.</summary>
public sealed class SessionLimitHost() : ConfiguredHost(new Dictionary<string, string>
{
    ["SessionGrid:AdminKeys"] = AdminClient.Key,
    ["SessionGrid:Limits:RequestsPerSecond"] = "0",
    ["SessionGrid:Limits:MaxConcurrentSessions"] = "2",
    ["SessionGrid:Limits:Keys:three:MaxConcurrentSessions"] = "3",
});

/// <summary>
/// The concurrent-session limit, counted per tenant across the dialects: exactly the limit opens, the next open answers
/// 429 with <c>Retry-After</c> in each dialect's shape, an ended session gives its place back, opens at once never pass
/// the limit, a refused open takes no place, a Browsing API task counts its fanout, and a per-key override holds.
/// </summary>
public sealed class SessionLimitTests(SessionLimitHost fixture, TestPages pages) : IClassFixture<SessionLimitHost>
{
    private readonly AdminClient _admin = new(fixture.Host.BaseUrl);
    private readonly DialectCalls _calls = new(fixture.Host.BaseUrl);

    [Fact]
    public async Task Exactly_the_limit_opens_across_dialects_and_the_next_open_is_429_with_Retry_After_in_each()
    {
        var key = (await _admin.IssueAsync()).Key;
        var task = await OpenAsync(Dialect.TaskApi, key);
        var session = await OpenAsync(Dialect.BrowserSessionApi, key);

        foreach (var dialect in DialectCalls.All)
        {
            var refused = await _calls.OpenAsync(dialect, key, pages.Url("/"));
            Assert.Contains("concurrent session limit", DialectCalls.AssertError(dialect, refused, HttpStatusCode.TooManyRequests));
            Assert.Equal("5", refused.RetryAfter);
        }

        var sync = await _calls.SendAsync(Dialect.BrowsingApi, HttpMethod.Post, "/api/v1/browsing/sync", key, new JsonObject { ["task"] = pages.Url("/"), ["template"] = "visit" });
        DialectCalls.AssertError(Dialect.BrowsingApi, sync, HttpStatusCode.TooManyRequests);

        // Reads and actions on open sessions go on; another tenant opens as it likes.
        Assert.Equal(HttpStatusCode.Accepted, (await _calls.SendAsync(Dialect.TaskApi, HttpMethod.Get, $"/api/v1/task/{task}", key, null)).Status);
        await OpenAsync(Dialect.BrowserSessionApi, TestKeys.A);

        // Closing one gives its place back, once.
        Assert.Equal(HttpStatusCode.OK, (await _calls.SendAsync(Dialect.BrowserSessionApi, HttpMethod.Delete, $"/api/v1/browser/sessions/{session}", key, null)).Status);
        await OpenAsync(Dialect.BrowserSessionApi, key);
        DialectCalls.AssertError(Dialect.TaskApi, await _calls.OpenAsync(Dialect.TaskApi, key, pages.Url("/")), HttpStatusCode.TooManyRequests);

        // So does cancelling one.
        Assert.Equal(HttpStatusCode.OK, (await _calls.SendAsync(Dialect.TaskApi, HttpMethod.Delete, $"/api/v1/task/{task}", key, null)).Status);
        await OpenAsync(Dialect.TaskApi, key);
    }

    [Fact]
    public async Task Opens_at_once_never_pass_the_limit_and_refused_opens_take_no_place()
    {
        var key = (await _admin.IssueAsync()).Key;
        for (var i = 0; i < 3; i++)
        {
            var unknownProfile = await _calls.SendAsync(Dialect.TaskApi, HttpMethod.Post, "/api/v1/task", key, new JsonObject { ["task"] = null, ["profile_id"] = "no-such-profile" });
            Assert.Equal(HttpStatusCode.NotFound, unknownProfile.Status);
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _calls.OpenAsync(Dialect.TaskApi, key, pages.Url("/"))));
        Assert.Equal(2, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_browsing_task_counts_its_fanout_while_it_runs_and_gives_its_places_back_when_it_finished()
    {
        var key = (await _admin.IssueAsync()).Key;
        var browsing = new BrowsingClient(new HttpClient { BaseAddress = new Uri(fixture.Host.BaseUrl) }, key);
        DialectCalls.AssertError(Dialect.BrowsingApi, await _calls.OpenAsync(Dialect.BrowsingApi, key, pages.Url("/"), fanout: 3), HttpStatusCode.TooManyRequests);

        await OpenAsync(Dialect.TaskApi, key);
        DialectCalls.AssertError(Dialect.BrowsingApi, await _calls.OpenAsync(Dialect.BrowsingApi, key, pages.Url("/"), fanout: 2), HttpStatusCode.TooManyRequests);
        var id = await OpenAsync(Dialect.BrowsingApi, key);
        Assert.Equal("completed", (await browsing.FinishedAsync(id))["status"]!.GetValue<string>());

        await OpenAsync(Dialect.BrowserSessionApi, key);
        DialectCalls.AssertError(Dialect.BrowserSessionApi, await _calls.OpenAsync(Dialect.BrowserSessionApi, key, pages.Url("/")), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_per_key_override_by_name_sets_that_keys_limit()
    {
        var key = (await _admin.IssueAsync("three")).Key;
        foreach (var dialect in DialectCalls.All)
        {
            await OpenAsync(dialect, key);
        }

        DialectCalls.AssertError(Dialect.TaskApi, await _calls.OpenAsync(Dialect.TaskApi, key, pages.Url("/")), HttpStatusCode.TooManyRequests);
    }

    /// <summary>Opens a session (a browsing task) that must be accepted; returns its id.</summary>
    private async Task<string> OpenAsync(Dialect dialect, string key)
    {
        var answer = await _calls.OpenAsync(dialect, key, pages.Url("/"));
        Assert.True(answer.Status == DialectCalls.OpenOk(dialect), $"{dialect}: {answer.Status} {answer.Body?.ToJsonString()}");
        return DialectCalls.OpenedId(dialect, answer);
    }
}
