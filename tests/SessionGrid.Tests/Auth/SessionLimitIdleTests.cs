using System.Net;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Auth;

/// <summary>A host where each tenant may have one session open and sessions close after 2 idle seconds.</summary>
public sealed class IdleSessionLimitHost() : ConfiguredHost(new Dictionary<string, string>
{
    ["SessionGrid:AdminKeys"] = AdminClient.Key,
    ["SessionGrid:Limits:RequestsPerSecond"] = "0",
    ["SessionGrid:Limits:MaxConcurrentSessions"] = "1",
    ["SessionGrid:Session:IdleTimeoutSeconds"] = "2",
});

/// <summary>
/// A session that ends without any API call (its idle timeout) gives its place back: the limit is counted from the
/// task records, not from what the API saw.
/// </summary>
public sealed class SessionLimitIdleTests(IdleSessionLimitHost fixture, TestPages pages) : IClassFixture<IdleSessionLimitHost>
{
    [Fact]
    public async Task A_session_closed_by_its_idle_timeout_gives_its_place_back()
    {
        var key = (await new AdminClient(fixture.Host.BaseUrl).IssueAsync()).Key;
        var calls = new DialectCalls(fixture.Host.BaseUrl);
        var opened = await calls.OpenAsync(Dialect.BrowserSessionApi, key, pages.Url("/"));
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        var sessionId = DialectCalls.OpenedId(Dialect.BrowserSessionApi, opened);

        // While it is open there is no place; once its idle timeout closed it, there is. (On a slow machine it may have
        // idled out before the second open already: then that open finds its place free at once.)
        var client = new BrowserSessionClient(new HttpClient { BaseAddress = new Uri(fixture.Host.BaseUrl) }, key);
        var second = await calls.OpenAsync(Dialect.TaskApi, key, pages.Url("/"));
        if (second.Status == HttpStatusCode.TooManyRequests)
        {
            await Eventually.Until(async () => (await client.GetAsync(sessionId)).Json["status"]!.GetValue<string>() == "closed" ? "closed" : null,
                TimeSpan.FromSeconds(60), "the session to close on its idle timeout");
            second = await calls.OpenAsync(Dialect.TaskApi, key, pages.Url("/"));
        }

        Assert.True(second.Status == HttpStatusCode.OK, $"{second.Status} {second.Body?.ToJsonString()}");
        Assert.Equal("closed", (await client.GetAsync(sessionId)).Json["status"]!.GetValue<string>());
    }
}
