using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using SessionGrid.Api.Admin;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Hosting;
using SessionGrid.Api.Http;
using SessionGrid.Api.TaskApi;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Auth;

/// <summary>
/// Two SessionGrid nodes of one cluster, each with an API front end of its own that calls grains through its own silo:
/// what one node's API does to a key or a tenant's sessions, the other's sees from its next request on.
/// </summary>
public sealed class TwoNodeApiCluster : IAsyncLifetime
{
    private readonly List<WebApplication> _fronts = [];

    public string DataDir { get; } = Directory.CreateTempSubdirectory("sessiongrid-keys-cluster-").FullName;
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The base URLs of the two nodes' APIs.</summary>
    public List<string> Urls { get; } = [];

    public async ValueTask InitializeAsync()
    {
        Cluster = await EngineTestCluster.StartAsync(DataDir, 2);
        foreach (var silo in Cluster.Silos)
        {
            var front = WebApplication.CreateSlimBuilder();
            front.Logging.ClearProviders();
            var url = $"http://127.0.0.1:{Ports.Free()}";
            front.WebHost.UseUrls(url);
            front.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [AdminKeyRegistry.Setting] = AdminClient.Key,
                ["SessionGrid:Limits:RequestsPerSecond"] = "0",
                ["SessionGrid:Limits:MaxConcurrentSessions"] = "1",
            });
            front.Services.AddSessionGridApi(front.Configuration, [ApiKeyHash.Of(TestKeys.A)]);
            front.Services.AddSingleton(silo.ServiceProvider.GetRequiredService<IGrainFactory>());
            var app = front.Build();
            app.UseSessionGridErrors();
            app.MapTaskApi();
            app.MapAdminApi();
            await app.StartAsync();
            _fronts.Add(app);
            Urls.Add(url);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var front in _fronts)
        {
            await front.DisposeAsync();
        }

        await EngineTestCluster.StopAsync(Cluster, DataDir);
    }
}

/// <summary>Revocation and the concurrent-session limit hold across nodes: no node keeps its own copy of either.</summary>
public sealed class AdminKeyClusterTests(TwoNodeApiCluster cluster) : IClassFixture<TwoNodeApiCluster>
{
    [Fact]
    public async Task A_key_revoked_through_one_node_is_refused_by_the_other_on_its_very_next_request()
    {
        var issued = await new AdminClient(cluster.Urls[0]).IssueAsync("cluster");
        var first = new DialectCalls(cluster.Urls[0]);
        var second = new DialectCalls(cluster.Urls[1]);
        Assert.Equal(HttpStatusCode.OK, (await second.ReadAsync(Dialect.TaskApi, issued.Key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await first.ReadAsync(Dialect.TaskApi, issued.Key)).Status);

        Assert.Equal(HttpStatusCode.OK, (await new AdminClient(cluster.Urls[0]).RevokeAsync(issued.Id)).Status);
        DialectCalls.AssertError(Dialect.TaskApi, await second.ReadAsync(Dialect.TaskApi, issued.Key), HttpStatusCode.Unauthorized);
        DialectCalls.AssertError(Dialect.TaskApi, await first.ReadAsync(Dialect.TaskApi, issued.Key), HttpStatusCode.Unauthorized);

        // The other node lists the same keys.
        var list = await new AdminClient(cluster.Urls[1]).ListAsync();
        Assert.True(list.Body!["keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == issued.Id)!["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_tenants_sessions_are_counted_across_the_nodes()
    {
        var key = (await new AdminClient(cluster.Urls[1]).IssueAsync()).Key;
        var opened = await new DialectCalls(cluster.Urls[0]).OpenAsync(Dialect.TaskApi, key, "about:blank");
        Assert.True(opened.Status == HttpStatusCode.OK, $"{opened.Status} {opened.Body?.ToJsonString()}");

        var refused = await new DialectCalls(cluster.Urls[1]).OpenAsync(Dialect.TaskApi, key, "about:blank");
        DialectCalls.AssertError(Dialect.TaskApi, refused, HttpStatusCode.TooManyRequests);
    }
}
