using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Profiles;

/// <summary>What the profile tests do through the Task API: create a profile, open sessions with it, log in, look.</summary>
public static class ProfileSteps
{
    public static async Task<string> CreateAsync(TaskApiClient client)
    {
        var id = "p-" + Guid.NewGuid().ToString("N")[..12];
        var created = await client.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = id }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(id, created.R["id"]!.GetValue<string>());
        return id;
    }

    public static JsonObject SessionRequest(string profileId, bool readOnly = false) =>
        new() { ["task"] = null, ["profile_id"] = profileId, ["profile_read_only"] = readOnly };

    public static async Task<string> OpenAsync(TaskApiClient client, string profileId, bool readOnly = false)
    {
        var opened = await client.SubmitAsync(SessionRequest(profileId, readOnly).ToJsonString());
        Assert.True(opened.Status == HttpStatusCode.OK, $"{opened.Status}: {opened.Detail}");
        return opened.R["id"]!.GetValue<string>();
    }

    public static async Task<JsonNode> FindAsync(TaskApiClient client, string profileId)
    {
        var listed = await client.SendAsync(HttpMethod.Get, "/api/v1/profile", null);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        return listed.R.AsArray().Single(p => p!["id"]!.GetValue<string>() == profileId)!;
    }

    /// <summary>Signs in to the account site through its form, then leaves a localStorage note.</summary>
    public static async Task LogInAsync(TaskApiClient client, string session, TestPages pages, string user, string note)
    {
        await SignInAsync(client, session, pages, user);
        await LeaveNoteAsync(client, session, note);
    }

    /// <summary>Signs in to the account site through its form.</summary>
    public static async Task SignInAsync(TaskApiClient client, string session, TestPages pages, string user)
    {
        await RunAsync(client, session, "goto", new JsonObject { ["url"] = pages.Url("/account/login") });
        await RunAsync(client, session, "type", new JsonObject { ["selector"] = "#user", ["text"] = user });
        await RunAsync(client, session, "type", new JsonObject { ["selector"] = "#password", ["text"] = "hunter2" });
        await RunAsync(client, session, "click", new JsonObject { ["selector"] = "#sign-in" });
    }

    /// <summary>Leaves a note in the account site's localStorage.</summary>
    public static async Task LeaveNoteAsync(TaskApiClient client, string session, string note) =>
        await RunAsync(client, session, "evaluate_js", new JsonObject { ["js"] = $"localStorage.setItem('note', {new JsonArray(note)[0]!.ToJsonString()})" });

    /// <summary>Who the account site says is signed in, and the note the page finds in its localStorage.</summary>
    public static async Task<(string Who, string Note)> WhoAsync(TaskApiClient client, string session, TestPages pages)
    {
        await RunAsync(client, session, "goto", new JsonObject { ["url"] = pages.Url("/account/") });
        var seen = await RunAsync(client, session, "evaluate_js",
            new JsonObject { ["js"] = "({ who: document.getElementById('who').textContent, note: document.getElementById('note').textContent })" });
        return (seen["who"]!.GetValue<string>(), seen["note"]!.GetValue<string>());
    }

    public static async Task CloseAsync(TaskApiClient client, string session)
    {
        await client.ActionAsync(session, "close", "session_action", "close", null);
        await client.WaitForStatusAsync(session, "done");
    }

    /// <summary>Runs one browser action and answers its output; fails the test when the action failed.</summary>
    public static async Task<JsonNode> RunAsync(TaskApiClient client, string session, string action, JsonObject input)
    {
        var eventId = action + "-" + Guid.NewGuid().ToString("N")[..8];
        var sent = await client.ActionAsync(session, eventId, "browser_action", action, input);
        Assert.True(sent.Status == HttpStatusCode.OK, $"{action}: {sent.Status} {sent.Detail}");
        var result = (await client.WaitForEventAsync(session, eventId))["payload"]!;
        Assert.True(result["code"]!.GetValue<int>() == 200, $"{action}: {result.ToJsonString()}");
        return result["output"]!["output"] ?? JsonValue.Create("");
    }

    /// <summary>A storage state JSON of exactly <paramref name="bytes"/> UTF-8 bytes.</summary>
    public static string StateOfSize(int bytes)
    {
        const string head = """{"cookies":[],"origins":[],"pad":""";
        const string tail = "\"}";
        var state = head + "\"" + new string('x', bytes - head.Length - 1 - tail.Length) + tail;
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(state));
        return state;
    }
}
