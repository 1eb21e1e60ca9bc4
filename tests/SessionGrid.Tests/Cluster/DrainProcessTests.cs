using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Cluster;

/// <summary>
/// An elastic cluster for real: PostgreSQL, three silo processes and an API process. One silo gets SIGTERM under its
/// sessions: new sessions go to the others at once, a session that finishes in the drain time finishes normally, a
/// profile session moves to another silo with its login before the silo exits, the rest end <c>node_draining</c>, no
/// Chromium of the silo survives; a fourth silo then joins and takes new sessions, and a drain asked of it by the admin
/// API and then SIGTERM during that drain end it once.
/// </summary>
public sealed partial class DrainProcessTests(PostgresServer server, TestPages pages, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const int DrainSeconds = 8;
    private const int MaxContexts = 6;

    [Fact]
    public async Task A_silo_given_SIGTERM_drains_moves_its_profile_session_ends_the_rest_node_draining_and_a_new_silo_takes_over()
    {
        var database = await server.CreateDatabaseAsync();
        var migrated = await SiloProcess.RunAsync("migrate", "--SessionGrid:Storage=postgres", $"--SessionGrid:ConnectionString={database}");
        Assert.True(migrated.ExitCode == 0, migrated.Output);
        await using var cluster = new ProcessCluster(database, new Dictionary<string, string>
        {
            ["SessionGrid:AdminKeys"] = AdminClient.Key,
            ["SessionGrid:Browser:WarmContexts"] = "0",
            ["SessionGrid:Browser:MaxContexts"] = MaxContexts.ToString(CultureInfo.InvariantCulture),
            ["SessionGrid:Profiles:SaveIntervalSeconds"] = "1",
            ["SessionGrid:Node:DrainSeconds"] = DrainSeconds.ToString(CultureInfo.InvariantCulture),
            ["SessionGrid:Limits:RequestsPerSecond"] = "1000",
            ["SessionGrid:Limits:Burst"] = "2000",
            ["Logging:LogLevel:SessionGrid"] = "Information",
            // No recordings: a stopping silo waits for its sessions' videos to be stored, which only slows this test.
            ["SessionGrid:Recording:FfmpegPath"] = "/nonexistent/ffmpeg",
        }) { Log = output.WriteLine };
        Task<SiloProcess> StartAsync(string? name, params string[] args) => cluster.StartAsync(name, args);

        var silos = (await Task.WhenAll(new[] { "node-a", "node-b", "node-c" }.Select(n => StartAsync(n)))).ToList();
        var names = new Dictionary<SiloProcess, string> { [silos[0]] = "node-a", [silos[1]] = "node-b", [silos[2]] = "node-c" };
        var api = await StartAsync(null, "--role", "api");
        var client = api.Client();
        var admin = new AdminClient(api.BaseUrl);

        // Two sessions on every silo (the placement spreads them), and a profile session with a login.
        var plain = new List<string>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            plain.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.OpenSessionAsync())));
        }

        var profile = await ProfileSteps.CreateAsync(client);
        var kept = await ProfileSteps.OpenAsync(client, profile);
        var nodeOf = await Eventually.Until(async () =>
        {
            var found = new Dictionary<string, string>();
            foreach (var id in plain.Append(kept))
            {
                if (await NodeOfAsync(client, id) is not { } node)
                {
                    return null;
                }

                found[id] = node;
            }

            return found;
        }, TimeSpan.FromSeconds(30), "every session's node");
        Assert.All(names.Values, name => Assert.Contains(name, plain.Select(id => nodeOf[id])));
        var victimName = nodeOf[kept];
        var victim = names.Single(n => n.Value == victimName).Key;
        var others = silos.Where(s => s != victim).ToList();
        var onVictim = plain.Where(id => nodeOf[id] == victimName).ToList();
        Assert.NotEmpty(onVictim);
        await ProfileSteps.LogInAsync(client, kept, pages, "ines", "moved by a drain");
        await Eventually.Until(async () => (await ProfileSteps.FindAsync(client, profile))["cookie_count"]!.GetValue<int>() == 1 ? "saved" : null,
            TimeSpan.FromSeconds(30), "the profile save");

        // The scale signal under a known load: 7 busy, none waiting, 3 silos of 6 contexts at 0.7 → ceil(7 / 4.2) = 2.
        var signal = await Eventually.Until(async () =>
        {
            var read = await admin.SendAsync(HttpMethod.Get, "/api/v1/admin/capacity", null);
            Assert.Equal(HttpStatusCode.OK, read.Status);
            return read.Body!["busy"]!.GetValue<int>() == 7 && read.Body["silos"]!.GetValue<int>() == 3 ? read.Body : null;
        }, TimeSpan.FromSeconds(30), "the capacity board to count 7 busy sessions");
        Assert.Equal(MaxContexts * 3, signal["capacity"]!.GetValue<int>());
        Assert.Equal(0, signal["waiting"]!.GetValue<int>());
        Assert.Equal(2, signal["desired"]!.GetValue<int>());
        await Eventually.Until(async () => DesiredSilos(await new HttpClient().GetStringAsync(api.BaseUrl + "/metrics")) == 2 ? "" : null,
            TimeSpan.FromSeconds(30), "sessiongrid_cluster_desired_silos 2 on the API's /metrics");

        // One plain session of the victim is busy with a command that outlasts the signal but not the drain.
        var finishing = onVictim[0];
        var slow = await client.ActionAsync(finishing, "slow-1", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "await new Promise(r => setTimeout(r, 2000)); return 'finished while draining'" });
        Assert.Equal(HttpStatusCode.OK, slow.Status);
        var chromium = ProcessTree.ChromiumOwnedBy(victim.Pid);
        Assert.NotEmpty(chromium);

        var signalled = DateTime.UtcNow;
        victim.Terminate();

        // The busy session's command finishes normally, and so does the session when its client closes it.
        var result = await client.WaitForEventAsync(finishing, "slow-1");
        Assert.Equal("finished while draining", result["payload"]!["output"]!["output"]!.GetValue<string>());
        await ProfileSteps.CloseAsync(client, finishing);

        // From the moment the cluster knows, the victim counts as no silo and takes no session.
        await Eventually.Until(async () =>
        {
            var read = await admin.SendAsync(HttpMethod.Get, "/api/v1/admin/capacity", null);
            return read.Body!["silos"]!.GetValue<int>() == 2 ? "" : null;
        }, TimeSpan.FromSeconds(10), "the victim to count as draining");
        var again = await admin.SendAsync(HttpMethod.Post, $"/api/v1/admin/nodes/{victimName}/drain", null);
        Assert.True(again.Status == HttpStatusCode.Accepted, again.Text);
        Assert.True(again.Body!["alreadyDraining"]!.GetValue<bool>());
        var fresh = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.OpenSessionAsync()));
        foreach (var id in fresh)
        {
            var node = await Eventually.Until(() => NodeOfAsync(client, id), TimeSpan.FromSeconds(30), $"the node of {id}");
            Assert.NotEqual(victimName, node);
        }

        // The profile session is reopened on another silo at once, still logged in, before the victim exits.
        var restored = await client.WaitForNoticeAsync(kept, "session_restored", TimeSpan.FromSeconds(30));
        var restoredAt = DateTimeOffset.FromUnixTimeMilliseconds(restored["timestamp"]!.GetValue<long>()).UtcDateTime;
        var notice = restored["payload"] as JsonObject ?? JsonNode.Parse(restored["payload"]!.GetValue<string>())!.AsObject();
        var movedTo = notice["node"]!.GetValue<string>();
        Assert.NotEqual(victimName, movedTo);

        // After the drain time the victim ends what is left, node_draining, and exits.
        var (exitedAt, exitCode) = await victim.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + 60));
        Assert.True(exitCode == 0, $"the victim exited with {exitCode}:\n{victim.Output}");
        Assert.True(restoredAt <= exitedAt, $"restored at {restoredAt:O}, the victim exited at {exitedAt:O}");
        var drainTime = exitedAt - signalled;
        if (onVictim.Count > 1)
        {
            // A session was left to end at the deadline (else the drain ends as soon as every session finished or moved).
            Assert.True(drainTime >= TimeSpan.FromSeconds(DrainSeconds - 1), $"the victim exited {drainTime.TotalSeconds:0.0} s after SIGTERM");
        }

        foreach (var id in onVictim.Skip(1))
        {
            var ended = await client.WaitForStatusAsync(id, "failed");
            Assert.StartsWith("node_draining", ended["output"]!.GetValue<string>());
            Assert.Contains(ended["events"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "session_closed"
                && e["payload"]!.ToJsonString().Contains("node_draining", StringComparison.Ordinal));
        }

        Assert.Equal("done", (await client.GetAsync(finishing)).R["status"]!.GetValue<string>());
        var seen = await ProfileSteps.RunAsync(client, kept, "evaluate_js",
            new JsonObject { ["js"] = "location.pathname + ' | ' + document.getElementById('who').textContent + ' | ' + localStorage.getItem('note')" });
        Assert.Equal("/account/ | signed in as ines | moved by a drain", seen.GetValue<string>());
        Assert.Equal("running", (await client.GetAsync(kept)).R["status"]!.GetValue<string>());
        Assert.Equal(movedTo, await NodeOfAsync(client, kept));

        // Nothing of the victim is left running: no task, no Chromium.
        var lost = 0;
        foreach (var id in onVictim)
        {
            lost += (await client.GetAsync(id)).R["status"]!.GetValue<string>() is "done" or "failed" ? 0 : 1;
        }

        Assert.Equal(0, lost);

        Assert.Empty(ProcessTree.ChromiumOwnedBy(victim.Pid));
        Assert.All(chromium, pid => Assert.False(ProcessTree.Alive(pid), $"Chromium {pid} of the drained silo still runs"));
        output.WriteLine($"drain: {drainTime.TotalSeconds:0.0} s from SIGTERM to exit (DrainSeconds {DrainSeconds}); " +
            $"handed over: 1 profile session (restored {(restoredAt - signalled).TotalSeconds:0.0} s after SIGTERM on {movedTo}); " +
            $"finished normally: 1; ended node_draining: {onVictim.Count - 1}; lost: {lost}");

        // A fourth silo joins and takes new sessions (it is the emptiest).
        var fourth = await StartAsync("node-d");
        await Eventually.Until(async () =>
            (await admin.SendAsync(HttpMethod.Get, "/api/v1/admin/capacity", null)).Body!["silos"]!.GetValue<int>() == 3 ? "" : null,
            TimeSpan.FromSeconds(30), "the fourth silo to report");
        var joined = await client.OpenSessionAsync();
        Assert.Equal("node-d", await Eventually.Until(() => NodeOfAsync(client, joined), TimeSpan.FromSeconds(30), "the new session's node"));

        // Drained through the admin API, then SIGTERM during that drain: one drain, the node exits after it.
        var drain = await admin.SendAsync(HttpMethod.Post, "/api/v1/admin/nodes/node-d/drain", null);
        Assert.True(drain.Status == HttpStatusCode.Accepted, drain.Text);
        Assert.False(drain.Body!["alreadyDraining"]!.GetValue<bool>());
        fourth.Terminate();
        var (_, fourthCode) = await fourth.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + 60));
        Assert.True(fourthCode == 0, $"the fourth silo exited with {fourthCode}:\n{fourth.Output}");
        Assert.Single(Regex.Matches(fourth.Output, "Node node-d drains:"));
        Assert.Single(Regex.Matches(fourth.Output, "Node node-d drained in"));
        var endedOnD = await client.WaitForStatusAsync(joined, "failed");
        Assert.StartsWith("node_draining", endedOnD["output"]!.GetValue<string>());
    }

    /// <summary>The node a running session is on, from the console's view of it; null while it has none.</summary>
    private static async Task<string?> NodeOfAsync(TaskApiClient client, string id)
    {
        var read = await client.SendAsync(HttpMethod.Get, $"/api/v1/console/sessions/{id}", null);
        return read.Status == HttpStatusCode.OK ? read.Body?["node"]?.GetValue<string>() : null;
    }

    private static int? DesiredSilos(string metrics) =>
        Desired().Match(metrics) is { Success: true } match ? (int)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^sessiongrid_cluster_desired_silos(?:\{[^}]*\})? ([0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex Desired();
}
