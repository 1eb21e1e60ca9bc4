using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Profiles;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Placement;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Cluster;

/// <summary>A node of an in-process cluster killed under its sessions: tasks end at once, a profile session comes back.</summary>
public sealed class NodeLossTests(TestPages pages)
{
    private const string Tenant = "node-loss-tenant";

    [Fact]
    public async Task A_killed_nodes_tasks_fail_node_lost_and_its_profile_session_is_restored_elsewhere_on_next_use_with_its_login()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-node-loss-").FullName;
        var cluster = await EngineTestCluster.StartAsync(dataDir, 3, settings: new Dictionary<string, string> { ["SessionGrid:Profiles:SaveIntervalSeconds"] = "1" });
        try
        {
            var grains = cluster.Client;
            var victim = cluster.Silos.Single(s => s.Name == "Silo_1");
            var profile = "p-" + Guid.NewGuid().ToString("N")[..8];
            Assert.Equal(ProfileRefusal.None, await grains.GetGrain<IProfileGrain>(ProfileKey.Of(Tenant, profile)).CreateAsync());

            var plain = "plain-" + Guid.NewGuid().ToString("N");
            Assert.True(await OnNode.OpenSessionAsync(grains.GetGrain<ISessionGrain>(plain), new SessionSpec(Tenant, DeviceKind.Desktop, pages.Url("/second")), victim.SiloAddress));
            var kept = "kept-" + Guid.NewGuid().ToString("N");
            var keptSpec = new SessionSpec(Tenant, DeviceKind.Desktop, null) { Profile = new ProfileUse(profile, ReadOnly: false) };
            Assert.True(await OnNode.OpenSessionAsync(grains.GetGrain<ISessionGrain>(kept), keptSpec, victim.SiloAddress));
            Assert.Contains(kept, cluster.BrowsersOf("Silo_1").HostedSessions);

            // Log in through the form; the session's last URL is then the account page.
            var login = await RunAsync(grains, kept,
                new NavigateAction(pages.Url("/account/login")),
                new TypeAction("#user", "grace"),
                new TypeAction("#password", "hunter2"),
                new ClickAction("#sign-in", null),
                new EvaluateAction("new Promise(done => setTimeout(() => done(location.pathname), 300))"));
            Assert.Equal("\"/account/\"", login.Results[^1].Value);
            await Eventually.Until(async () => (await grains.GetGrain<IProfileGrain>(ProfileKey.Of(Tenant, profile)).DescribeAsync())!.CookieCount == 1 ? "saved" : null,
                TimeSpan.FromSeconds(20), "the profile's periodic save");

            await cluster.KillSiloAsync(victim);

            // The cluster ends the plain session's task on its own (no client touches the session), within a minute.
            var lost = await Eventually.Until(async () =>
            {
                var task = await grains.GetGrain<ITaskGrain>(plain).GetAsync(0, includeEvents: true);
                return task!.Phase == TaskPhase.Failed ? task : null;
            }, TimeSpan.FromSeconds(60), "the lost node's task to fail");
            Assert.StartsWith("node_lost", lost.Error);
            Assert.Equal("session_closed", lost.Events[^1].Name);
            Assert.Contains("\"session_lost\"", lost.Events[^1].Data);
            Assert.Equal(TaskPhase.Running, (await grains.GetGrain<ITaskGrain>(kept).GetAsync(0, includeEvents: false))!.Phase);

            // Its next use brings the profile session back on another node, at its last URL, still logged in.
            var after = await RunAsync(grains, kept, new EvaluateAction("location.pathname + ' | ' + document.getElementById('who').textContent"));
            Assert.Equal("\"/account/ | signed in as grace\"", after.Results[0].Value);
            var restored = (await grains.GetGrain<ITaskGrain>(kept).GetAsync(0, includeEvents: true))!;
            Assert.Equal(TaskPhase.Running, restored.Phase);
            var notice = restored.Events.Single(e => e.Name == "session_restored");
            Assert.Contains(pages.Url("/account/"), notice.Data);
            Assert.DoesNotContain("Silo_1", notice.Data);
            Assert.Contains(kept, cluster.BrowsersOf(notice.Data!.Contains("Silo_0") ? "Silo_0" : "Silo_2").HostedSessions);

            await grains.GetGrain<ISessionGrain>(kept).CloseAsync();
            Assert.Equal(TaskPhase.Done, (await grains.GetGrain<ITaskGrain>(kept).GetAsync(0, includeEvents: false))!.Phase);
        }
        finally
        {
            await EngineTestCluster.StopAsync(cluster, dataDir);
        }
    }

    private static async Task<ScriptOutcome> RunAsync(IGrainFactory grains, string session, params BrowserAction[] actions)
    {
        var id = "script-" + Guid.NewGuid().ToString("N")[..8];
        var reply = await grains.GetGrain<ISessionGrain>(session).SubmitAsync(new RunScript(id, "test", actions));
        Assert.True(reply.Accepted, reply.Reason);
        return await Eventually.Until(() => grains.GetGrain<ISessionGrain>(session).AwaitResultAsync(id, TimeSpan.FromSeconds(10)),
            TimeSpan.FromSeconds(60), $"script {id}");
    }
}
