using System.Globalization;
using System.Net;
using SessionGrid.Api.Auth;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Auth;

/// <summary>
/// A host whose keys may send bursts of 3 requests and then one per 100 s (so no token comes back during a test),
/// with overrides: the key name <c>big</c> bursts 6, the tenant of test key B bursts 5.
/// </summary>
public sealed class RateLimitHost() : ConfiguredHost(new Dictionary<string, string>
{
    ["SessionGrid:AdminKeys"] = AdminClient.Key,
    ["SessionGrid:Limits:RequestsPerSecond"] = "0.01",
    ["SessionGrid:Limits:Burst"] = "3",
    ["SessionGrid:Limits:Keys:big:Burst"] = "6",
    [$"SessionGrid:Limits:Keys:{TenantB}:Burst"] = "5",
})
{
    public static readonly string TenantB = ApiKeyHash.TenantOf(ApiKeyHash.Of(TestKeys.B));
}

/// <summary>
/// The per-key request rate: exactly the burst passes, the next request answers 429 with <c>Retry-After</c> in each
/// dialect's error shape, each tenant has its own bucket, and overrides by key name and by tenant hold.
/// </summary>
public sealed class RateLimitTests(RateLimitHost fixture) : IClassFixture<RateLimitHost>
{
    private readonly AdminClient _admin = new(fixture.Host.BaseUrl);
    private readonly DialectCalls _calls = new(fixture.Host.BaseUrl);

    [Fact]
    public async Task Exactly_the_burst_passes_and_then_every_dialect_answers_429_with_Retry_After_in_its_own_shape()
    {
        var key = (await _admin.IssueAsync()).Key;
        await AssertBurstAsync(key, 3);

        foreach (var dialect in DialectCalls.All)
        {
            var refused = await _calls.ReadAsync(dialect, key);
            Assert.Contains("rate limit", DialectCalls.AssertError(dialect, refused, HttpStatusCode.TooManyRequests));
            var retryAfter = int.Parse(refused.RetryAfter!, CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 100);
        }

        // Another tenant has a bucket of its own; the admin API has no rate limit.
        var other = (await _admin.IssueAsync()).Key;
        Assert.Equal(HttpStatusCode.OK, (await _calls.ReadAsync(Dialect.TaskApi, other)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _admin.ListAsync()).Status);
    }

    [Fact]
    public async Task An_override_by_key_name_or_by_tenant_gives_that_key_its_own_burst()
    {
        var big = (await _admin.IssueAsync("big")).Key;
        await AssertBurstAsync(big, 6);

        await AssertBurstAsync(TestKeys.B, 5);
        // Keys of one tenant under the same limits share one bucket: a new key for B's tenant finds it empty.
        var second = (await _admin.IssueAsync(tenant: RateLimitHost.TenantB)).Key;
        DialectCalls.AssertError(Dialect.BrowsingApi, await _calls.ReadAsync(Dialect.BrowsingApi, second), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_request_without_a_live_key_answers_401_and_takes_no_token()
    {
        var issued = await _admin.IssueAsync();
        await _admin.RevokeAsync(issued.Id);
        for (var i = 0; i < 5; i++)
        {
            DialectCalls.AssertError(Dialect.TaskApi, await _calls.ReadAsync(Dialect.TaskApi, issued.Key), HttpStatusCode.Unauthorized);
        }

        await AssertBurstAsync((await _admin.IssueAsync(tenant: issued.Tenant)).Key, 3);
    }

    /// <summary>Exactly <paramref name="burst"/> requests (across the dialects) pass, and the next is refused.</summary>
    private async Task AssertBurstAsync(string key, int burst)
    {
        for (var i = 0; i < burst; i++)
        {
            var dialect = DialectCalls.All[i % 3];
            var answer = await _calls.ReadAsync(dialect, key);
            Assert.True(answer.Status == DialectCalls.ReadOk(dialect), $"request {i + 1} of {burst}: {answer.Status} {answer.Body?.ToJsonString()}");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await _calls.ReadAsync(Dialect.TaskApi, key)).Status);
    }
}
