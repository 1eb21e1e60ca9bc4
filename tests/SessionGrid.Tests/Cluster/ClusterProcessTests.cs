using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Cluster;

/// <summary>
/// The cluster as it runs for real: a PostgreSQL server, the migrate command run twice, three silo processes and one
/// API-only process on loopback; 30 sessions spread over the silos; one silo SIGKILLed under its sessions.
/// </summary>
public sealed partial class ClusterProcessTests(PostgresServer server, TestPages pages) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Three_silos_and_an_api_spread_sessions_and_survive_a_killed_silo()
    {
        var database = await server.CreateDatabaseAsync();
        var migrate = new[] { "migrate", "--SessionGrid:Storage=postgres", $"--SessionGrid:ConnectionString={database}" };
        var first = await SiloProcess.RunAsync(migrate);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Applied to the Postgres database: 0001-orleans-clustering.sql", first.Output);
        var second = await SiloProcess.RunAsync(migrate);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("up to date", second.Output);

        await using var cluster = new ProcessCluster(database, new Dictionary<string, string>
        {
            ["SessionGrid:Browser:WarmContexts"] = "1",
            ["SessionGrid:Profiles:SaveIntervalSeconds"] = "1",
        });
        var silos = new List<SiloProcess>();
        foreach (var name in new[] { "node-a", "node-b", "node-c" })
        {
            silos.Add(await cluster.StartAsync(name));
        }

        var api = await cluster.StartAsync(null, "--role", "api");
        var client = api.Client();

        // 30 sessions through the API land on all three silos. Not recorded: 30 encoders beside 30 browsers on a 2-core
        // machine slow every step below, and a session's first command waits for its recording to start (up to 5 s),
        // which with the command's own 1.5 s could outlast the long-poll's hold (10 s) on a loaded CI machine.
        var sessions = new List<string>();
        foreach (var batch in Enumerable.Range(0, 6))
        {
            sessions.AddRange(await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.OpenSessionAsync(enableRecording: false))));
        }

        var counts = await Eventually.Until(async () =>
        {
            var open = await Task.WhenAll(silos.Select(OpenSessionsAsync));
            return open.Sum() == sessions.Count ? open : null;
        }, TimeSpan.FromSeconds(30), "every silo to count its sessions");
        Assert.All(counts, count => Assert.InRange(count, 1, sessions.Count - 2));

        // The long-poll works through the API node as on a silo: one read is held until the command's result lands.
        var polled = sessions[0];
        var cursor = (await client.GetAsync(polled)).R["events"]!.AsArray().LastOrDefault()?["timestamp"]?.GetValue<long>() ?? 0;
        var slow = await client.ActionAsync(polled, "held-1", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "await new Promise(r => setTimeout(r, 1500)); return 'through the api node'" });
        Assert.Equal(HttpStatusCode.OK, slow.Status);
        var reading = System.Diagnostics.Stopwatch.StartNew();
        var held = await client.GetAsync(polled, cursor);
        var result = held.R["events"]!.AsArray().SingleOrDefault(e => e!["id"]?.GetValue<string>() == "held-1");
        Assert.True(result is not null, $"the held read answered after {reading.ElapsedMilliseconds} ms without the result: {held.Status} {held.R.ToJsonString()}");
        Assert.Equal("through the api node", result!["payload"]!["output"]!["output"]!.GetValue<string>());

        // A profile session: log in, and learn which silo hosts it from the silos' own counts.
        var profile = await ProfileSteps.CreateAsync(client);
        var kept = await ProfileSteps.OpenAsync(client, profile);
        var host = await Eventually.Until(async () =>
        {
            var now = await Task.WhenAll(silos.Select(OpenSessionsAsync));
            var grown = Enumerable.Range(0, 3).Where(i => now[i] == counts[i] + 1).ToList();
            return now.Sum() == sessions.Count + 1 && grown.Count == 1 ? silos[grown[0]] : null;
        }, TimeSpan.FromSeconds(30), "the silo of the profile session");
        await ProfileSteps.SignInAsync(client, kept, pages, "heidi");

        // Saved, cookie and note: the session saves a changed state every second. First the save with the cookie,
        // then one that is bigger by the note (waiting on saves, not on the clock: a loaded machine saves late).
        var signedIn = await Eventually.Until(async () => await ProfileSteps.FindAsync(client, profile) is var found
            && found["cookie_count"]!.GetValue<int>() == 1 ? found : null, TimeSpan.FromSeconds(30), "the profile's save of the sign-in");
        var withoutNote = signedIn["profile_size_bytes"]!.GetValue<long>();
        const string note = "kept through a lost node";
        await ProfileSteps.LeaveNoteAsync(client, kept, note);
        await Eventually.Until(async () => (await ProfileSteps.FindAsync(client, profile))["profile_size_bytes"]!.GetValue<long>() >= withoutNote + note.Length
            ? "saved" : null, TimeSpan.FromSeconds(30), "the profile's save of the note");
        var victimCount = counts[silos.IndexOf(host)];

        await host.StopAsync(kill: true);

        // Within a minute the killed silo's sessions read failed (node_lost); the others still run.
        var statuses = await Eventually.Until(async () =>
        {
            var read = await Task.WhenAll(sessions.Select(id => client.GetAsync(id)));
            if (read.Any(r => r.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests))
            {
                // The cluster is still settling after the kill (a 503 with Retry-After), or thirty reads a poll
                // outran the key's rate limit (a 429 with Retry-After): ask again a little later.
                await Task.Delay(1000);
                return null;
            }

            var failed = read.Count(r => r.R["status"]!.GetValue<string>() == "failed");
            return failed == victimCount ? read : null;
        }, TimeSpan.FromSeconds(60), $"the {victimCount} sessions of the killed silo to fail");
        Assert.All(statuses.Where(r => r.R["status"]!.GetValue<string>() == "failed"), r =>
            Assert.StartsWith("node_lost", r.R["output"]!.GetValue<string>()));
        Assert.Equal(sessions.Count - victimCount, statuses.Count(r => r.R["status"]!.GetValue<string>() == "running"));

        // The profile session comes back on another silo on its next use, at its last page, still logged in.
        var seen = await ProfileSteps.RunAsync(client, kept, "evaluate_js",
            new JsonObject { ["js"] = "location.pathname + ' | ' + document.getElementById('who').textContent + ' | ' + localStorage.getItem('note')" });
        Assert.Equal("/account/ | signed in as heidi | kept through a lost node", seen.GetValue<string>());
        var events = (await client.GetAsync(kept)).R["events"]!.AsArray();
        Assert.Contains(events, e => e!["name"]!.GetValue<string>() == "session_restored");

        // No Chromium of the killed silo outlives it.
        await Eventually.Until(() => Task.FromResult(ProcessTree.ChromiumOwnedBy(host.Pid).Count == 0 ? "gone" : null),
            TimeSpan.FromSeconds(30), "the killed silo's Chromium to exit");
    }

    /// <summary>The sessions a silo process hosts, from its own Prometheus metrics.</summary>
    private static async Task<int> OpenSessionsAsync(SiloProcess silo)
    {
        using var http = new HttpClient { BaseAddress = new Uri(silo.BaseUrl) };
        var metrics = await http.GetStringAsync("/metrics");
        var match = SessionsOpen().Match(metrics);
        return match.Success ? (int)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^sessiongrid_sessions_open(?:\{[^}]*\})? ([0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex SessionsOpen();
}
