using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using SessionGrid.Api.Auth;
using SessionGrid.Api.BrowsingApi;
using SessionGrid.Api.Hosting;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Vault;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowsingApi;

/// <summary>
/// Three silos of an <see cref="InProcessTestCluster"/>, each a SessionGrid node with its own browsers and a country,
/// sharing the SQLite store, and the Browsing API served over real HTTP by a front end that is a client of the cluster.
/// </summary>
public sealed class ThreeNodeCluster : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> Countries = new Dictionary<string, string>
    {
        ["Silo_0"] = "DE",
        ["Silo_1"] = "US",
        ["Silo_2"] = "FR",
    };

    private WebApplication? _front;

    public string DataDir { get; } = Directory.CreateTempSubdirectory("sessiongrid-cluster-").FullName;
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public BrowsingClient Client { get; private set; } = null!;

    /// <summary>The browser host of the node with this name.</summary>
    public BrowserHost BrowsersOf(string node) => Cluster.BrowsersOf(node);

    public async ValueTask InitializeAsync()
    {
        Cluster = await EngineTestCluster.StartAsync(DataDir, 3, Countries);

        var front = WebApplication.CreateSlimBuilder();
        front.Logging.ClearProviders();
        var url = $"http://127.0.0.1:{Ports.Free()}";
        front.WebHost.UseUrls(url);
        front.Services.AddSessionGridApi(front.Configuration, [ApiKeyHash.Of(TestKeys.A), ApiKeyHash.Of(TestKeys.B)]);
        front.Services.AddSingleton<IGrainFactory>(Cluster.Client);
        _front = front.Build();
        _front.UseSessionGridErrors();
        _front.MapBrowsingApi();
        await _front.StartAsync();
        Client = new BrowsingClient(new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(3) }, TestKeys.A);

        // Every node knows every other node's country before the tests place by it.
        await Eventually.Until(() => Task.FromResult(Cluster.Silos.All(s =>
            s.ServiceProvider.GetRequiredService<NodeDirectory>().Live().Count(n => n.Country is not null) == 3) ? "ready" : null),
            TimeSpan.FromSeconds(30), "the nodes to learn each other's countries");
    }

    public async ValueTask DisposeAsync()
    {
        if (_front is not null)
        {
            await _front.DisposeAsync();
        }

        await EngineTestCluster.StopAsync(Cluster, DataDir);
    }
}

/// <summary>Node filters, session-key affinity and fanout across three nodes.</summary>
public sealed class BrowsingClusterTests(ThreeNodeCluster fixture, TestPages pages) : IClassFixture<ThreeNodeCluster>
{
    private BrowsingClient Client => fixture.Client;

    /// <summary>Actions that keep the browser busy a moment, so the test can see which node hosts the session.</summary>
    private static string Linger(string url) => new JsonArray(
        new JsonObject { ["type"] = "navigate", ["url"] = url },
        new JsonObject { ["type"] = "evaluate", ["script"] = "new Promise(done => setTimeout(() => done(location.href), 1500))" }).ToJsonString();

    [Theory]
    [InlineData("node_uid", "Silo_0", "Silo_0")]
    [InlineData("node_uid", "Silo_2", "Silo_2")]
    [InlineData("country_iso", "US", "Silo_1")]
    [InlineData("country_iso", "fr", "Silo_2")]
    public async Task A_filter_places_the_task_s_browser_on_the_node_it_names(string filter, string value, string node)
    {
        var id = await Client.SubmitAsync(new JsonObject
        {
            ["task"] = Linger(pages.Url("/")),
            ["template"] = "actions",
            ["filter"] = new JsonObject { [filter] = value },
        });
        await Eventually.Until(() => Task.FromResult(fixture.BrowsersOf(node).HostedSessions.Contains($"{id}-0") ? "hosted" : null),
            TimeSpan.FromSeconds(20), $"the session of {id} on {node}");
        Assert.All(ThreeNodeCluster.Countries.Keys.Where(n => n != node), other => Assert.DoesNotContain($"{id}-0", fixture.BrowsersOf(other).HostedSessions));

        var status = await Client.FinishedAsync(id);
        Assert.True(status["success"]!.GetValue<bool>(), status.ToJsonString());
        Assert.Equal(node, status["node_uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tasks_of_one_session_key_stay_on_one_node_in_one_session()
    {
        var key = "affinity-" + Guid.NewGuid().ToString("N");
        var set = new JsonArray(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/") }, new JsonObject { ["type"] = "evaluate", ["script"] = "document.cookie = 'seen=yes; path=/'" });
        var first = await Client.FinishedAsync(await Client.SubmitAsync(new JsonObject { ["task"] = set.ToJsonString(), ["template"] = "actions", ["session_key"] = key }));
        var node = first["node_uid"]!.GetValue<string>();
        for (var i = 0; i < 3; i++)
        {
            var read = new JsonArray(new JsonObject { ["type"] = "evaluate", ["script"] = "document.cookie" });
            var next = await Client.FinishedAsync(await Client.SubmitAsync(new JsonObject { ["task"] = read.ToJsonString(), ["template"] = "actions", ["session_key"] = key }));
            Assert.Equal(node, next["node_uid"]!.GetValue<string>());
            Assert.Equal("seen=yes", next["payload"]![0]!["value"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Fanout_races_distinct_nodes_completes_once_and_cancels_the_others()
    {
        var race = Guid.NewGuid().ToString("N");
        var task = new JsonArray(
            new JsonObject { ["type"] = "navigate", ["url"] = pages.Url($"/race/{race}?runners=3"), ["timeoutMs"] = 90000 },
            new JsonObject { ["type"] = "evaluate", ["script"] = "document.getElementById('done').textContent" }).ToJsonString();
        var id = await Client.SubmitAsync(new JsonObject { ["task"] = task, ["template"] = "actions", ["fanout"] = 3 });
        var status = await Client.FinishedAsync(id, TimeSpan.FromSeconds(45));
        Assert.Equal("completed", status["status"]!.GetValue<string>());
        Assert.Equal("finished", status["payload"]![1]!["value"]!.GetValue<string>());
        Assert.Contains(status["node_uid"]!.GetValue<string>(), ThreeNodeCluster.Countries.Keys);

        // Every node raced; the two that lost were stopped, long before their page would have answered.
        var hits = pages.RaceHits[race];
        Assert.Equal(3, hits);
        await Eventually.Until(() => Task.FromResult(ThreeNodeCluster.Countries.Keys.All(n =>
            !fixture.BrowsersOf(n).HostedSessions.Any(s => s.StartsWith(id, StringComparison.Ordinal))) ? "closed" : null),
            TimeSpan.FromSeconds(20), "every attempt's session to close");
        await Eventually.Until(() => Task.FromResult(pages.RaceAbandoned.GetValueOrDefault(race) == hits - 1 ? "abandoned" : null),
            TimeSpan.FromSeconds(20), "the losing browsers to give up their requests");
        var later = (await Client.StatusAsync(id)).Body!;
        Assert.Equal(status.ToJsonString(), later.ToJsonString());

        // The winner closed its session (done); the losers' sessions were cancelled.
        var records = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => fixture.Cluster.Client.GetGrain<ITaskGrain>($"{id}-{i}").GetAsync(0, includeEvents: false)));
        Assert.Equal([TaskPhase.Done, TaskPhase.Cancelled, TaskPhase.Cancelled], records.Select(r => r!.Phase).Order());
    }
}
