using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Api.Http;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.TaskApi;

/// <summary>
/// A host whose long-poll holds a read as long as it may (25 s), so a read let go sooner was let go by its client, and
/// holds a read that saw a result for 5 s after it (room for a loaded machine between the result and the next read).
/// </summary>
public sealed class LongHoldHost() : ConfiguredHost(new Dictionary<string, string>
{
    ["SessionGrid:Api:LongPollSeconds"] = "25",
    ["SessionGrid:Session:FollowUpHoldMs"] = "5000",
});

/// <summary>When a read is held without work in flight (right after a result), and what a held read costs once its client has gone: nothing.</summary>
public sealed class HeldPollTests(LongHoldHost fixture, TestPages pages) : IClassFixture<LongHoldHost>
{
    /// <summary>Well under the host's 25-second hold: a read freed within it was freed by its client going away.</summary>
    private static readonly TimeSpan Freed = TimeSpan.FromSeconds(15);

    private readonly TaskApiClient _client = fixture.Host.Client();

    [Fact]
    public async Task Right_after_a_result_a_read_that_saw_it_waits_for_the_client_s_next_command()
    {
        var held = fixture.Host.Services.GetRequiredService<HeldPolls>();
        var session = await _client.OpenSessionAsync(pages.Url("/"));
        var sdk = new SdkStyleSession(_client, session);
        await sdk.ActionAsync("evaluate_js", new JsonObject { ["js"] = "1" });

        // As the Python SDK's connected poller does, read again at once after the result: the read is held …
        var reading = _client.GetAsync(session, sdk.LastEventT);
        await Eventually.Until(() => Task.FromResult(held.Count > 0 ? "held" : null), TimeSpan.FromSeconds(30), "the read after the result to be held");

        // … and answers with the client's next command's result, so the poller never sleeps its second.
        Assert.Equal(HttpStatusCode.OK, (await _client.ActionAsync(session, "next-1", "browser_action", "evaluate_js", new JsonObject { ["js"] = "'next'" })).Status);
        var answer = await reading;
        var result = Assert.Single(answer.R["events"]!.AsArray(), e => e!["id"]?.GetValue<string>() == "next-1");
        Assert.Equal("next", result!["payload"]!["output"]!["output"]!.GetValue<string>());

        // With no command in the follow-up window, a read that saw everything is let go empty, the session still running.
        var quiet = await _client.GetAsync(session, result["timestamp"]!.GetValue<long>());
        Assert.Empty(quiet.R["events"]!.AsArray());
        Assert.Equal("running", quiet.R["status"]!.GetValue<string>());
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_poll_leaves_nothing_held()
    {
        var held = fixture.Host.Services.GetRequiredService<HeldPolls>();
        var session = await _client.OpenSessionAsync(pages.Url("/"));
        var cursor = (await _client.GetAsync(session)).R["events"]!.AsArray().LastOrDefault()?["timestamp"]?.GetValue<long>() ?? 0;
        var sent = await _client.ActionAsync(session, "slow-2", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "await new Promise(r => setTimeout(r, 60000)); return 'never read'" });
        Assert.Equal(HttpStatusCode.OK, sent.Status);

        // A read is held while the command runs; its client gives up on it, and the node holds nothing any more.
        using var gone = new CancellationTokenSource();
        var reading = _client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/task/{session}?event_t={cursor}")
        {
            Headers = { { "apikey", TestKeys.A } },
        }, gone.Token);
        await Eventually.Until(() => Task.FromResult(held.Count > 0 ? "held" : null), TimeSpan.FromSeconds(30), "the read to be held");
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        await Eventually.Until(() => Task.FromResult(held.Count == 0 ? "free" : null), Freed, "the held read to be let go");

        // The session is untouched: the command is still in flight, and cancelling ends it.
        Assert.Equal("running", (await _client.GetAsync(session)).R["status"]!.GetValue<string>());
        await _client.CancelAsync(session);
    }
}
