using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Grains.Nodes;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Cluster;

/// <summary>
/// The drain of the last silo, through the admin API, and its bad requests: no key, a tenant's key, an unknown node, a
/// second drain, a SIGTERM's drain during it; a new session queues and fails <c>no_capacity</c>, the open ones end
/// <c>node_draining</c> (a profile session too: there is no node to move it to).
/// </summary>
public sealed class DrainHostTests
{
    [Fact]
    public async Task The_last_silo_drains_new_sessions_fail_no_capacity_and_bad_drain_requests_get_clear_answers()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:AdminKeys"] = AdminClient.Key,
            ["SessionGrid:Node:DrainSeconds"] = "2",
            ["SessionGrid:Browser:QueueTimeoutSeconds"] = "30",
            ["SessionGrid:Browser:MaxContexts"] = "4",
        });
        var client = host.Client();
        var admin = new AdminClient(host.BaseUrl);
        var path = $"/api/v1/admin/nodes/{host.NodeName}/drain";
        var plain = await client.OpenSessionAsync();
        var kept = await ProfileSteps.OpenAsync(client, await ProfileSteps.CreateAsync(client));
        var signal = await Eventually.Until(async () =>
        {
            var read = await admin.SendAsync(HttpMethod.Get, "/api/v1/admin/capacity", null);
            return read.Body!["busy"]!.GetValue<int>() == 2 ? read.Body : null;
        }, TimeSpan.FromSeconds(10), "the board to count two sessions");
        Assert.Equal(1, signal["silos"]!.GetValue<int>());
        Assert.Equal(4, signal["capacity"]!.GetValue<int>());
        Assert.Equal(1, signal["desired"]!.GetValue<int>());

        // Refused before anything happens: no key, a tenant's key, an unknown node (problem details, never a 5xx).
        var anonymous = await new AdminClient(host.BaseUrl, key: null).SendAsync(HttpMethod.Post, path, null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("application/problem+json", anonymous.ContentType);
        Assert.Equal(HttpStatusCode.Forbidden, (await new AdminClient(host.BaseUrl, TestKeys.A).SendAsync(HttpMethod.Post, path, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await new AdminClient(host.BaseUrl, TestKeys.A).SendAsync(HttpMethod.Get, "/api/v1/admin/capacity", null)).Status);
        var unknown = await admin.SendAsync(HttpMethod.Post, "/api/v1/admin/nodes/no-such-node/drain", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("no live node is named 'no-such-node'", unknown.Body!["detail"]!.GetValue<string>());
        Assert.Equal("running", (await client.GetAsync(plain)).R["status"]!.GetValue<string>());

        // The drain, and the same drain when asked again.
        var first = await admin.SendAsync(HttpMethod.Post, path, null);
        Assert.True(first.Status == HttpStatusCode.Accepted, first.Text);
        Assert.False(first.Body!["alreadyDraining"]!.GetValue<bool>());
        Assert.Equal(host.NodeName, first.Body["node"]!.GetValue<string>());
        Assert.Equal(2, first.Body["sessions"]!.GetValue<int>());
        var second = await admin.SendAsync(HttpMethod.Post, path, null);
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        Assert.True(second.Body!["alreadyDraining"]!.GetValue<bool>());
        Assert.Equal(first.Body["deadline"]!.GetValue<string>(), second.Body["deadline"]!.GetValue<string>());

        // A draining silo is not ready (it takes no new session).
        using (var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) })
        {
            var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("is draining", await ready.Content.ReadAsStringAsync());
        }

        // The last silo drains: no silo, no capacity; a new session waits and fails no_capacity saying why.
        var drained = await admin.SendAsync(HttpMethod.Get, "/api/v1/admin/capacity", null);
        Assert.Equal(0, drained.Body!["silos"]!.GetValue<int>());
        Assert.Equal(0, drained.Body["capacity"]!.GetValue<int>());
        var late = await client.SubmitAsync(new JsonObject { ["task"] = null }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, late.Status);
        Assert.Equal("waiting", late.R["status"]!.GetValue<string>());
        var lateId = late.R["id"]!.GetValue<string>();

        // A SIGTERM now joins the drain under way (one drain, its own deadline), and ends once it ended.
        var stop = Stopwatch.StartNew();
        await host.Services.GetRequiredService<NodeDrain>().DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(10), $"the drain took {stop.Elapsed.TotalSeconds:0.0} s");

        foreach (var id in new[] { plain, kept })
        {
            var ended = await client.WaitForStatusAsync(id, "failed");
            Assert.StartsWith("node_draining: the session's node", ended["output"]!.GetValue<string>());
        }

        var failed = await client.WaitForStatusAsync(lateId, "failed");
        Assert.StartsWith("no_capacity: the session waited on a draining node", failed["output"]!.GetValue<string>());
    }
}
