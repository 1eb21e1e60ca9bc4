using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Profiles;

/// <summary>Profiles across a host restart, and the periodic save and size limit at short configured values.</summary>
public sealed class ProfileHostTests(TestPages pages)
{
    [Fact]
    public async Task A_login_made_with_a_profile_is_still_there_after_the_host_restarts()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-profile-").FullName;
        try
        {
            string profile;
            await using (var first = await SessionGridHost.StartAsync(dataDir))
            {
                var client = first.Client();
                profile = await ProfileSteps.CreateAsync(client);
                var a = await ProfileSteps.OpenAsync(client, profile);
                await ProfileSteps.LogInAsync(client, a, pages, "dana", "before restart");
                await ProfileSteps.CloseAsync(client, a);

                // A session still open when its host stops saves as it ends.
                var open = await ProfileSteps.OpenAsync(client, profile);
                await ProfileSteps.RunAsync(client, open, "goto", new JsonObject { ["url"] = pages.Url("/account/") });
                await ProfileSteps.RunAsync(client, open, "evaluate_js", new JsonObject { ["js"] = "localStorage.setItem('note', 'saved at shutdown')" });
            }

            await using var second = await SessionGridHost.StartAsync(dataDir);
            var again = second.Client();
            var b = await ProfileSteps.OpenAsync(again, profile);
            Assert.Equal(("signed in as dana", "saved at shutdown"), await ProfileSteps.WhoAsync(again, b, pages));
            await ProfileSteps.CloseAsync(again, b);
            Assert.Equal(1, (await ProfileSteps.FindAsync(again, profile))["cookie_count"]!.GetValue<int>());
            Assert.Equal(HttpStatusCode.NotFound, (await second.Client(TestKeys.B).SubmitAsync(ProfileSteps.SessionRequest(profile).ToJsonString())).Status);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_writing_session_saves_while_it_lives_and_reports_a_state_too_large_to_keep()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Profiles:SaveIntervalSeconds"] = "1",
            ["SessionGrid:Profiles:MaxStateBytes"] = "4000",
        });
        try
        {
            var client = host.Client();
            var profile = await ProfileSteps.CreateAsync(client);
            var session = await ProfileSteps.OpenAsync(client, profile);
            await ProfileSteps.LogInAsync(client, session, pages, "erin", "small");

            // Saved by the timer, with the session still open.
            await Eventually.Until(async () =>
            {
                var found = await ProfileSteps.FindAsync(client, profile);
                return found["cookie_count"]!.GetValue<int>() == 1 ? found : null;
            }, TimeSpan.FromSeconds(20), "the periodic profile save");
            Assert.Equal(HttpStatusCode.Accepted, (await client.GetAsync(session)).Status);

            await ProfileSteps.RunAsync(client, session, "evaluate_js", new JsonObject { ["js"] = "localStorage.setItem('note', 'x'.repeat(5000))" });
            var notSaved = await Eventually.Until(async () =>
                (await client.GetAsync(session)).R["events"]!.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>() == "profile_not_saved"),
                TimeSpan.FromSeconds(20), "the profile_not_saved event");
            Assert.Equal(profile, notSaved["payload"]!["profile_id"]!.GetValue<string>());
            Assert.Contains("4000 bytes", notSaved["payload"]!["reason"]!.GetValue<string>());
            await ProfileSteps.CloseAsync(client, session);

            // The profile keeps the last state that fit (the login), and the lock is free again.
            Assert.InRange((await ProfileSteps.FindAsync(client, profile))["profile_size_bytes"]!.GetValue<long>(), 1, 4000);
            var next = await ProfileSteps.OpenAsync(client, profile);
            var (who, note) = await ProfileSteps.WhoAsync(client, next, pages);
            Assert.Equal("signed in as erin", who);
            Assert.DoesNotContain("xxxx", note);
            await ProfileSteps.CloseAsync(client, next);
        }
        finally
        {
            Directory.Delete(host.DataDir, recursive: true);
        }
    }
}
