using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Mcp;

/// <summary>
/// Sessions of the MCP server are the Task API's sessions: one is driven from both at once, and the caller's open
/// sessions are MCP resources (status, URL, title, live view) whose end is notified.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class McpSharedSessionTests(SharedHost shared, TestPages pages)
{
    [Fact]
    public async Task One_session_is_driven_from_MCP_and_the_Task_API_at_once()
    {
        var tasks = shared.Host.Client();
        await using var client = await McpClients.ConnectAsync(shared.Host);
        var sessionId = await client.OpenSessionAsync(pages.Url("/widgets"));

        // A click from each at the same time: both run, one after the other, in the session's one mailbox.
        var sent = await tasks.ActionAsync(sessionId, "t-click", "browser_action", "click", new JsonObject { ["selector"] = "#counter" });
        Assert.Equal(System.Net.HttpStatusCode.OK, sent.Status);
        await Task.WhenAll(
            client.CallOkAsync("click", new JsonObject { ["session_id"] = sessionId, ["selector"] = "#counter" }),
            tasks.WaitForEventAsync(sessionId, "t-click"));
        Assert.Equal("2", (await client.EvaluateAsync(sessionId, "document.getElementById('clicks').textContent"))!.GetValue<string>());

        // Each sees what the other did.
        await client.CallOkAsync("type", new JsonObject { ["session_id"] = sessionId, ["selector"] = "#name", ["text"] = "typed over MCP" });
        await tasks.ActionAsync(sessionId, "t-read", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.getElementById('name').value" });
        Assert.Equal("typed over MCP", (await tasks.WaitForEventAsync(sessionId, "t-read"))["payload"]!["output"]!["output"]!.GetValue<string>());
        await tasks.ActionAsync(sessionId, "t-goto", "browser_action", "goto", new JsonObject { ["url"] = pages.Url("/second") });
        await tasks.WaitForEventAsync(sessionId, "t-goto");
        Assert.Equal(pages.Url("/second"), (await client.EvaluateAsync(sessionId, "location.href"))!.GetValue<string>());

        // MCP's results are its own: the Task API's events are its own requests' results only.
        var events = (await tasks.GetAsync(sessionId)).R["events"]!.AsArray().Select(e => e!["id"]?.GetValue<string>()).OfType<string>();
        Assert.Equal(["t-click", "t-read", "t-goto"], events);

        // A session the Task API opened is driven over MCP the same way; closed there, MCP finds it closed.
        var taskSession = await tasks.OpenSessionAsync(pages.Url("/"));
        Assert.Equal("Hello from the test page", (await client.EvaluateAsync(taskSession, "document.getElementById('greeting').textContent"))!.GetValue<string>());
        await tasks.ActionAsync(taskSession, "bye", "session_action", "close", null);
        await tasks.WaitForStatusAsync(taskSession, "done");
        var late = await client.CallAsync("evaluate", new JsonObject { ["session_id"] = taskSession, ["script"] = "1" });
        Assert.True(late.IsError);
        Assert.Contains("closed", late.Text());
        await client.CallOkAsync("session_close", new JsonObject { ["session_id"] = sessionId });
    }

    [Fact]
    public async Task Open_sessions_are_resources_with_their_page_and_live_view_and_their_end_is_notified()
    {
        await using var client = await McpClients.ConnectAsync(shared.Host);
        Assert.True(client.ServerCapabilities.Resources?.Subscribe);
        Assert.True(client.ServerCapabilities.Resources?.ListChanged);
        var listChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sessionId = await client.OpenSessionAsync(pages.Url("/"));
        var uri = $"sessiongrid://sessions/{sessionId}";
        Assert.Equal("SessionGrid test page", (await client.EvaluateAsync(sessionId, "document.title"))!.GetValue<string>());

        var listed = (await client.ListResourcesAsync()).Single(r => r.Uri == uri);
        Assert.Equal("SessionGrid test page", listed.ProtocolResource.Title);
        Assert.Equal("application/json", listed.ProtocolResource.MimeType);
        Assert.Contains("sessiongrid://sessions/{session_id}", (await client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate));

        var read = JsonNode.Parse(Assert.IsType<TextResourceContents>(Assert.Single((await client.ReadResourceAsync(uri)).Contents)).Text)!;
        Assert.Equal(sessionId, read["session_id"]!.GetValue<string>());
        Assert.Equal("running", read["status"]!.GetValue<string>());
        Assert.Equal(pages.Url("/"), read["url"]!.GetValue<string>());
        Assert.Equal("SessionGrid test page", read["title"]!.GetValue<string>());
        Assert.Contains($"/live/{sessionId}?t=", read["live_url"]!.GetValue<string>());

        var updated = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var changes = client.RegisterNotificationHandler(NotificationMethods.ResourceListChangedNotification, (_, _) =>
        {
            listChanged.TrySetResult();
            return ValueTask.CompletedTask;
        });
        await using var subscription = await client.SubscribeToResourceAsync(uri, (notification, _) =>
        {
            updated.TrySetResult(notification.Uri);
            return ValueTask.CompletedTask;
        });

        // Ended from elsewhere (the Task API cancels it): the subscriber hears of it.
        await shared.Host.Client().CancelAsync(sessionId);
        Assert.Equal(uri, await updated.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await listChanged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(await client.ListResourcesAsync(), r => r.Uri == uri);
        var ended = JsonNode.Parse(Assert.IsType<TextResourceContents>(Assert.Single((await client.ReadResourceAsync(uri)).Contents)).Text)!;
        Assert.Equal("cancelled", ended["status"]!.GetValue<string>());
        Assert.Null(ended["live_url"]);

        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => client.SubscribeToResourceAsync("sessiongrid://sessions/task_nope"));
        Assert.Equal(McpErrorCode.ResourceNotFound, unknown.ErrorCode);
    }
}
