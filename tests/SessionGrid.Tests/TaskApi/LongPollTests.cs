using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Agent;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.TaskApi;

/// <summary>
/// <c>GET /task/{id}</c> as a long-poll: held while a command is in flight and nothing is new for the reader, answered
/// as soon as its result lands; answered at once when nothing is in flight; bad cursors and other tenants' tasks are
/// refused at once.
/// </summary>
public sealed class LongPollTests(AgentHost fixture, TestPages pages) : IClassFixture<AgentHost>
{
    /// <summary>Well under the host's 10-second hold: a read that took longer than this was held.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(8);

    private readonly TaskApiClient _client = fixture.Host.Client();

    [Fact]
    public async Task A_poll_is_held_until_the_running_command_s_result_lands()
    {
        var session = await _client.OpenSessionAsync(pages.Url("/"));
        var quiet = await _client.GetAsync(session);
        var cursor = quiet.R["events"]!.AsArray().LastOrDefault()?["timestamp"]?.GetValue<long>() ?? 0;
        var sent = await _client.ActionAsync(session, "slow-1", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "await new Promise(r => setTimeout(r, 1500)); return 'late'" });
        Assert.Equal(HttpStatusCode.OK, sent.Status);

        // One read: it comes back with the result, not empty.
        var held = await _client.GetAsync(session, cursor);
        var result = Assert.Single(held.R["events"]!.AsArray(), e => e!["id"]?.GetValue<string>() == "slow-1");
        Assert.Equal("late", result!["payload"]!["output"]!["output"]!.GetValue<string>());
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task With_nothing_in_flight_a_poll_answers_at_once()
    {
        // An open session that ran no client command: nothing in flight, no result just delivered.
        var session = await _client.OpenSessionAsync(pages.Url("/"));
        var last = (await _client.GetAsync(session)).R["events"]!.AsArray().LastOrDefault()?["timestamp"]?.GetValue<long>() ?? 0;

        var watch = Stopwatch.StartNew();
        var answer = await _client.GetAsync(session, last);
        Assert.True(watch.Elapsed < AtOnce, $"a read with nothing in flight took {watch.Elapsed}");
        Assert.Empty(answer.R["events"]!.AsArray());
        Assert.Equal("running", answer.R["status"]!.GetValue<string>());
        await _client.CancelAsync(session);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999999")]
    public async Task A_negative_future_or_malformed_event_t_is_a_400(string eventT)
    {
        var session = await _client.OpenSessionAsync();
        var answer = await _client.SendAsync(HttpMethod.Get, $"/api/v1/task/{session}?event_t={eventT}", null);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("event_t", answer.Detail);
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task A_poll_on_another_tenant_s_busy_task_is_a_404_at_once()
    {
        var session = await _client.OpenSessionAsync(pages.Url("/"));
        await _client.ActionAsync(session, "slow-2", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "await new Promise(r => setTimeout(r, 20000)); return 1" });

        var watch = Stopwatch.StartNew();
        var other = await fixture.Host.Client(TestKeys.B).GetAsync(session, 0);
        Assert.Equal(HttpStatusCode.NotFound, other.Status);
        Assert.True(watch.Elapsed < AtOnce, $"another tenant's read took {watch.Elapsed}");
        await _client.CancelAsync(session);
    }
}
