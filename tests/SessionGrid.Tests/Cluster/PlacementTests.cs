using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Placement;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Cluster;

/// <summary>Three nodes of two browser contexts each, with a wait queue of one per node.</summary>
public sealed class SmallNodesCluster : IAsyncLifetime
{
    /// <summary>How long a test waits for the nodes to settle (sessions to close, capacity to spread): generous, as the machine may be loaded.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public string DataDir { get; } = Directory.CreateTempSubdirectory("sessiongrid-placement-").FullName;
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Cluster = await EngineTestCluster.StartAsync(DataDir, 3, settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:MaxContexts"] = "2",
            ["SessionGrid:Browser:MaxQueuedSessions"] = "1",
            ["SessionGrid:Browser:QueueTimeoutSeconds"] = "25",
        });

    public async ValueTask DisposeAsync() => await EngineTestCluster.StopAsync(Cluster, DataDir);

    public T Service<T>(InProcessSiloHandle silo) where T : notnull => silo.ServiceProvider.GetRequiredService<T>();

    /// <summary>Waits until no node holds or queues a session (an earlier test's closed, even one that failed half-way).</summary>
    public Task EmptyAsync() =>
        Eventually.Until(() => Task.FromResult(Cluster.Silos.All(s => Service<SessionSlots>(s).Sessions.Count == 0) ? "empty" : null),
            Patience, "every node to hold no session");

    /// <summary>
    /// Waits until no node holds a session, then has each node report its capacity to the board once: placement then
    /// starts from three empty nodes. (On their own the nodes report once a second, so right after an earlier test
    /// closed its sessions the board still counts them for up to a second.)
    /// </summary>
    public async Task IdleAsync()
    {
        await EmptyAsync();
        foreach (var silo in Cluster.Silos)
        {
            await Service<ClusterCapacity>(silo).RefreshAsync();
        }
    }
}

/// <summary>Placement by free browser capacity, and the bounded wait queue, at the grain level.</summary>
public sealed class PlacementTests(SmallNodesCluster fixture) : IClassFixture<SmallNodesCluster>
{
    private static readonly string[] Nodes = ["Silo_0", "Silo_1", "Silo_2"];

    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Sessions_fill_every_node_then_wait_one_per_node_then_are_refused_and_a_freed_context_goes_to_the_waiting_one()
    {
        await fixture.IdleAsync();
        var spec = new SessionSpec("placement-tenant", DeviceKind.Desktop, null);
        string Id(int i) => $"placed-{Guid.NewGuid():N}-{i}";
        var running = new List<string>();
        var waitingIds = Enumerable.Range(6, 3).Select(Id).ToList();
        var waits = new List<Task<SessionReply>>();
        try
        {
            // Six sessions on three nodes of two contexts: two each.
            for (var i = 0; i < 6; i++)
            {
                var id = Id(i);
                Assert.True((await Grains.GetGrain<ISessionGrain>(id).OpenAsync(spec)).Accepted);
                running.Add(id);
            }

            Assert.All(Nodes, node => Assert.Equal(2, running.Count(fixture.Cluster.BrowsersOf(node).HostedSessions.Contains)));

            // Every node full: the next three wait, one on each node (their tasks read waiting), and the tenth is refused.
            waits.AddRange(waitingIds.Select(id => Grains.GetGrain<ISessionGrain>(id).OpenAsync(spec)));
            await Eventually.Until(async () =>
            {
                var phases = await Task.WhenAll(waitingIds.Select(id => Grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: false)));
                return phases.All(t => t?.Phase == TaskPhase.Waiting) ? "waiting" : null;
            }, SmallNodesCluster.Patience, "three waiting sessions");

            var refusedId = Id(9);
            var refused = await Grains.GetGrain<ISessionGrain>(refusedId).OpenAsync(spec);
            Assert.False(refused.Accepted);
            Assert.Equal(SessionRefusal.LimitReached, refused.Refusal);
            Assert.Null(await Grains.GetGrain<ITaskGrain>(refusedId).GetAsync(0, includeEvents: false));

            // Closing one running session of each node lets that node's waiting session open.
            foreach (var node in Nodes)
            {
                var closing = running.First(fixture.Cluster.BrowsersOf(node).HostedSessions.Contains);
                await Grains.GetGrain<ISessionGrain>(closing).CloseAsync();
                running.Remove(closing);
            }

            // A queued open answered at once (accepted, task waiting); each opens once its node's context is free.
            Assert.All(await Task.WhenAll(waits), reply => Assert.True(reply.Accepted));
            await Eventually.Until(async () =>
            {
                var phases = await Task.WhenAll(waitingIds.Select(id => Grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: false)));
                return phases.All(t => t?.Phase == TaskPhase.Running) ? "running" : null;
            }, SmallNodesCluster.Patience, "the three waiting sessions to run");

            Assert.All(Nodes, node => Assert.Equal(2, fixture.Cluster.BrowsersOf(node).HostedSessions.Count));
        }
        finally
        {
            // Whatever happened, no session outlives the test: the next one starts from empty nodes. A waiting session's
            // close waits for its open, which the running ones' closes let through.
            await Task.WhenAll(running.Select(id => Grains.GetGrain<ISessionGrain>(id).CloseAsync()));
            if (waits.Count > 0)
            {
                await Task.WhenAll(waits).ContinueWith(_ => { }, TaskScheduler.Default);
                await Task.WhenAll(waitingIds.Select(id => Grains.GetGrain<ISessionGrain>(id).CloseAsync()));
            }
        }
    }

    [Fact]
    public async Task Among_the_nodes_a_filter_allows_the_one_with_most_free_capacity_comes_first()
    {
        await fixture.EmptyAsync();
        var spec = new SessionSpec("placement-tenant", DeviceKind.Desktop, null);
        var silos = fixture.Cluster.Silos.ToDictionary(s => s.Name, s => s.SiloAddress);
        var opened = new List<string>();
        try
        {
            foreach (var node in new[] { "Silo_0", "Silo_0", "Silo_1" })
            {
                var id = $"filtered-{Guid.NewGuid():N}";
                opened.Add(id);
                Assert.True(await OnNode.OpenSessionAsync(Grains.GetGrain<ISessionGrain>(id), spec, silos[node]));
            }

            var directory = fixture.Service<NodeDirectory>(fixture.Cluster.Silos[0]);
            await Eventually.Until(() => Task.FromResult(
                directory.Pick(directory.Live(), 3).Select(n => n.Name).SequenceEqual(["Silo_2", "Silo_1", "Silo_0"]) ? "ordered" : null),
                SmallNodesCluster.Patience, "the nodes ordered by free capacity");
        }
        finally
        {
            await Task.WhenAll(opened.Select(id => Grains.GetGrain<ISessionGrain>(id).CloseAsync()));
        }
    }

    [Fact]
    public async Task A_session_that_opened_and_closed_between_two_reports_is_not_charged_to_its_node_afterwards()
    {
        // A board of its own (the cluster's silos report to board 0).
        var board = Grains.GetGrain<ICapacityBoardGrain>(7);
        var (a, b) = (fixture.Cluster.Silos[0].SiloAddress, fixture.Cluster.Silos[1].SiloAddress);
        await board.ExchangeAsync(new NodeCapacity(a, 3, 0, 0));
        await board.ExchangeAsync(new NodeCapacity(b, 2, 0, 0));

        // Two placed on A (3 free → 1 left as the board counts), which no report of A ever lists: they open and close between reports.
        Assert.Equal(a, await board.PlaceAsync("short-1", [a, b], unknownFree: 0));
        Assert.Equal(a, await board.PlaceAsync("short-2", [a], unknownFree: 0));
        Assert.Equal(b, await board.PlaceAsync("probe-1", [a, b], unknownFree: 0));

        // A reports 3 free again after they settled: they count no more, and A (3) comes before B (2 - 1 placed).
        await Task.Delay(2500);
        await board.ExchangeAsync(new NodeCapacity(a, 3, 0, 0));
        await board.ExchangeAsync(new NodeCapacity(b, 2, 0, 0) { Sessions = ["probe-1"] });
        Assert.Equal(a, await board.PlaceAsync("after", [a, b], unknownFree: 0));
    }

    [Fact]
    public async Task Each_node_learns_every_nodes_free_capacity()
    {
        // The nodes' own once-a-second exchange spreads it (nothing here makes them report).
        await fixture.EmptyAsync();
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress).ToList();
        await Eventually.Until(() => Task.FromResult(fixture.Cluster.Silos.All(s =>
        {
            var capacity = fixture.Service<ClusterCapacity>(s);
            return silos.All(silo => capacity.FreeOn(silo) == 2);
        }) ? "known" : null), SmallNodesCluster.Patience, "every node to know every node's capacity");
    }
}
