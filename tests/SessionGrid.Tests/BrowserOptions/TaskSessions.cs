using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>Task API sessions opened with browser options, and one action at a time on them.</summary>
public static class TaskSessions
{
    /// <summary>Opens a session (<c>task: null</c>) with <paramref name="options"/>, asserting it was accepted; its id.</summary>
    public static async Task<string> OpenWithAsync(this TaskApiClient client, JsonObject options)
    {
        options["task"] = null;
        var response = await client.SubmitAsync(options.ToJsonString());
        Assert.True(response.Status == HttpStatusCode.OK, $"{response.Status}: {response.Body?.ToJsonString()}");
        return response.R["id"]!.GetValue<string>();
    }

    /// <summary>Runs one browser action and returns its result's payload (<c>{code, output}</c>).</summary>
    public static async Task<JsonNode> ActAsync(this TaskApiClient client, string session, string action, JsonObject input)
    {
        var id = "e" + Guid.NewGuid().ToString("N")[..10];
        var sent = await client.ActionAsync(session, id, "browser_action", action, input);
        Assert.True(sent.Status == HttpStatusCode.OK, $"{sent.Status}: {sent.Body?.ToJsonString()}");
        return (await client.WaitForEventAsync(session, id, TimeSpan.FromSeconds(60)))["payload"]!;
    }

    /// <summary>The value of a script on the session's page (asserting it ran).</summary>
    public static async Task<JsonNode?> EvaluateAsync(this TaskApiClient client, string session, string js)
    {
        var result = await client.ActAsync(session, "evaluate_js", new JsonObject { ["js"] = js });
        Assert.True(result["code"]!.GetValue<int>() == 200, result.ToJsonString());
        return result["output"]!["output"];
    }
}
