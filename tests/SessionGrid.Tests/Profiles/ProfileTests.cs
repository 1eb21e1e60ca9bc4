using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Profiles;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Profiles;

/// <summary>Profiles on the shared host: what a profile keeps, read-only use, the write lock, and bad input.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class ProfileTests(SharedHost shared, TestPages pages)
{
    private readonly TaskApiClient _client = shared.Host.Client();

    [Fact]
    public async Task A_profile_is_created_listed_with_what_it_holds_and_deleted()
    {
        var id = await ProfileSteps.CreateAsync(_client);
        var generated = await _client.SendAsync(HttpMethod.Post, "/api/v1/profile", "");
        Assert.Equal(HttpStatusCode.OK, generated.Status);
        var generatedId = generated.R["id"]!.GetValue<string>();
        Assert.Matches("^profile_[0-9a-f]{24}$", generatedId);

        var fresh = await ProfileSteps.FindAsync(_client, id);
        Assert.Equal(0, fresh["cookie_count"]!.GetValue<int>());
        Assert.Empty(fresh["cookie_domains"]!.AsArray());
        Assert.Equal(0, fresh["profile_size_bytes"]!.GetValue<long>());
        Assert.Null(fresh["last_saved_at"]);

        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var session = await ProfileSteps.OpenAsync(_client, id);
        await ProfileSteps.LogInAsync(_client, session, pages, "carol", "remember me");
        await ProfileSteps.CloseAsync(_client, session);

        var saved = await ProfileSteps.FindAsync(_client, id);
        Assert.Equal(1, saved["cookie_count"]!.GetValue<int>());
        Assert.Equal(["127.0.0.1"], saved["cookie_domains"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.True(saved["profile_size_bytes"]!.GetValue<long>() > 100);
        Assert.InRange(saved["last_saved_at"]!.GetValue<long>(), before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var listed = (await _client.SendAsync(HttpMethod.Get, "/api/v1/profile", null)).R.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        Assert.True(listed.IndexOf(generatedId) < listed.IndexOf(id), "newest first");
        Assert.DoesNotContain("remember me", (await _client.SendAsync(HttpMethod.Get, "/api/v1/profile", null)).Body!.ToJsonString());

        var deleted = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/profile/{id}", null);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.True(deleted.R.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Delete, $"/api/v1/profile/{id}", null)).Status);
        Assert.DoesNotContain(id, (await _client.SendAsync(HttpMethod.Get, "/api/v1/profile", null)).R.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var reopened = await _client.SubmitAsync(ProfileSteps.SessionRequest(id).ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, reopened.Status);
    }

    [Fact]
    public async Task A_read_only_session_starts_logged_in_but_saves_nothing()
    {
        var id = await ProfileSteps.CreateAsync(_client);
        var writer = await ProfileSteps.OpenAsync(_client, id);
        await ProfileSteps.LogInAsync(_client, writer, pages, "alice", "from alice");
        await ProfileSteps.CloseAsync(_client, writer);
        var saved = await ProfileSteps.FindAsync(_client, id);

        var reader = await ProfileSteps.OpenAsync(_client, id, readOnly: true);
        Assert.Equal(("signed in as alice", "from alice"), await ProfileSteps.WhoAsync(_client, reader, pages));
        await ProfileSteps.LogInAsync(_client, reader, pages, "bob", "from bob");
        Assert.Equal(("signed in as bob", "from bob"), await ProfileSteps.WhoAsync(_client, reader, pages));
        await ProfileSteps.CloseAsync(_client, reader);

        Assert.Equal(saved.ToJsonString(), (await ProfileSteps.FindAsync(_client, id)).ToJsonString());
        var next = await ProfileSteps.OpenAsync(_client, id, readOnly: true);
        Assert.Equal(("signed in as alice", "from alice"), await ProfileSteps.WhoAsync(_client, next, pages));
        await ProfileSteps.CloseAsync(_client, next);
    }

    [Fact]
    public async Task One_session_writes_at_a_time_while_read_only_sessions_overlap()
    {
        var id = await ProfileSteps.CreateAsync(_client);
        var sessions = shared.Host.SessionClient();
        var writer = await ProfileSteps.OpenAsync(_client, id);

        var second = await _client.SubmitAsync(ProfileSteps.SessionRequest(id).ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Contains($"profile '{id}' is in use", second.Detail);
        var secondBrowserSession = await sessions.CreateAsync(new JsonObject { ["profileId"] = id }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, secondBrowserSession.Status);
        Assert.Equal(409, secondBrowserSession.Json["status"]!.GetValue<int>());
        var deleteWhileWriting = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/profile/{id}", null);
        Assert.Equal(HttpStatusCode.Conflict, deleteWhileWriting.Status);

        var readerA = await ProfileSteps.OpenAsync(_client, id, readOnly: true);
        var readerB = await sessions.CreateAsync(new JsonObject { ["profileId"] = id, ["profileReadOnly"] = true }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, readerB.Status);

        await ProfileSteps.CloseAsync(_client, writer);
        var nextWriter = await sessions.CreateAsync(new JsonObject { ["profileId"] = id }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, nextWriter.Status);
        var nextWriterId = nextWriter.Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict, (await _client.SubmitAsync(ProfileSteps.SessionRequest(id).ToJsonString())).Status);

        // A cancelled writer gives the lock up too.
        Assert.Equal(HttpStatusCode.OK, (await sessions.DeleteAsync(nextWriterId)).Status);
        var afterCancel = await _client.SubmitAsync(ProfileSteps.SessionRequest(id).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, afterCancel.Status);
        Assert.Equal(HttpStatusCode.OK, (await _client.CancelAsync(afterCancel.R["id"]!.GetValue<string>())).Status);

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Delete, $"/api/v1/profile/{id}", null)).Status);
        await ProfileSteps.CloseAsync(_client, readerA);
        await sessions.DeleteAsync(readerB.Json["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_profile_input_is_refused_with_nothing_created()
    {
        var id = await ProfileSteps.CreateAsync(_client);
        var other = shared.Host.Client(TestKeys.B);
        var taskCount = (await _client.ListAsync("?l=128")).R.AsArray().Count;

        var taken = await _client.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = id }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Contains("already exists", taken.Detail);

        string[] malformed = ["", "has space", "-leading", "slash/inside", "dot..ok?", new string('a', 65), "ümlaut"];
        foreach (var bad in malformed)
        {
            var created = await _client.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = bad }.ToJsonString());
            Assert.True(created.Status == HttpStatusCode.BadRequest, $"id '{bad}': {created.Status}");
            Assert.Contains("id must be 1 to 64 letters", created.Detail);
            var task = await _client.SubmitAsync(ProfileSteps.SessionRequest(bad).ToJsonString());
            Assert.True(task.Status == HttpStatusCode.BadRequest, $"profile_id '{bad}': {task.Status}");
            Assert.Contains("profile_id must be", task.Detail);
            var session = await shared.Host.SessionClient().CreateAsync(new JsonObject { ["profileId"] = bad }.ToJsonString());
            Assert.True(session.Status == HttpStatusCode.BadRequest, $"profileId '{bad}': {session.Status}");
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = new string('a', 64) }.ToJsonString())).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(HttpMethod.Post, "/api/v1/profile", """{"id": 5}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(HttpMethod.Delete, "/api/v1/profile/has%20space", null)).Status);

        // Another key's profile does not exist for this one, in any dialect.
        Assert.Equal(HttpStatusCode.NotFound, (await other.SubmitAsync(ProfileSteps.SessionRequest(id).ToJsonString())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await shared.Host.SessionClient(TestKeys.B).CreateAsync(new JsonObject { ["profileId"] = id }.ToJsonString())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Delete, $"/api/v1/profile/{id}", null)).Status);
        Assert.DoesNotContain(id, (await other.SendAsync(HttpMethod.Get, "/api/v1/profile", null)).R.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await other.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = id }.ToJsonString())).Status);

        var unknown = await _client.SubmitAsync(ProfileSteps.SessionRequest("never-created").ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("profile 'never-created' was not found", unknown.Detail);
        var mismatch = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["profile_id"] = id, ["session_id"] = "another" }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);

        Assert.Equal(taskCount, (await _client.ListAsync("?l=128")).R.AsArray().Count);
    }

    [Fact]
    public async Task The_sdks_session_id_mirror_names_the_profile()
    {
        var id = await ProfileSteps.CreateAsync(_client);
        var writer = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["session_id"] = id, ["profile_id"] = id }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, writer.Status);
        var byAlias = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["session_id"] = id }.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, byAlias.Status);
        await ProfileSteps.CloseAsync(_client, writer.R["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_state_of_exactly_the_limit_is_kept_and_one_byte_more_is_refused()
    {
        var grains = shared.Host.Services.GetRequiredService<IGrainFactory>();
        var limit = shared.Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<global::SessionGrid.Grains.Profiles.ProfileOptions>>().Value.MaxStateBytes;
        var profile = grains.GetGrain<IProfileGrain>(ProfileKey.Of("edge-tenant", "edge"));
        Assert.Equal(ProfileRefusal.None, await profile.CreateAsync());
        Assert.True((await profile.CheckOutAsync("edge-session", readOnly: false)).Ok);

        Assert.Equal(ProfileRefusal.None, await profile.SaveAsync("edge-session", ProfileSteps.StateOfSize(limit), release: false));
        Assert.Equal(limit, (await profile.DescribeAsync())!.SizeBytes);
        Assert.Equal(ProfileRefusal.TooLarge, await profile.SaveAsync("edge-session", ProfileSteps.StateOfSize(limit + 1), release: false));
        Assert.Equal(limit, (await profile.DescribeAsync())!.SizeBytes);
        Assert.Equal(ProfileRefusal.NotWriter, await profile.SaveAsync("another-session", ProfileSteps.StateOfSize(100), release: false));
        Assert.Equal(ProfileRefusal.Busy, await profile.DeleteAsync());
        await profile.ReleaseAsync("edge-session");
        Assert.Equal(ProfileRefusal.None, await profile.DeleteAsync());
    }
}
