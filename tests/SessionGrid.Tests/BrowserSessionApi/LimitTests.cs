using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserSessionApi;

/// <summary>Per-session limits at their edges, on a host configured with small ones.</summary>
public sealed class LimitTests(TestPages pages) : IAsyncLifetime
{
    private SessionGridHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Files:MaxUploadBytes"] = "1024",
            ["SessionGrid:Files:MaxFilesPerSession"] = "2",
            ["SessionGrid:Session:MaxQueuedCommands"] = "1",
        });

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.DataDir, recursive: true);
    }

    [Fact]
    public async Task A_file_of_the_limit_is_stored_and_one_byte_more_is_413()
    {
        var client = _host.SessionClient();
        var session = await client.OpenAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.UploadAsync(session, "exact.bin", new byte[1024])).Status);

        var over = await client.UploadAsync(session, "over.bin", new byte[1025]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.Status);
        Assert.Equal("application/problem+json", over.ContentType);
        Assert.Contains("1024 bytes", over.Detail);

        var huge = await client.UploadAsync(session, "huge.bin", new byte[200_000]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);

        // Neither oversized file was stored.
        var use = await client.TaskAsync(session, new JsonObject
        {
            ["url"] = pages.Url("/upload"),
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "uploadFile", ["selector"] = "#file", ["filename"] = "over.bin" }),
        });
        Assert.Equal(HttpStatusCode.BadRequest, use.Status);
    }

    [Fact]
    public async Task A_session_holds_at_most_the_configured_number_of_files_and_replacing_one_is_allowed()
    {
        var client = _host.SessionClient();
        var session = await client.OpenAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.UploadAsync(session, "one.txt", [1])).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.UploadAsync(session, "two.txt", [2])).Status);
        var third = await client.UploadAsync(session, "three.txt", [3]);
        Assert.Equal(HttpStatusCode.Conflict, third.Status);
        Assert.Contains("2 files", third.Detail);

        var replaced = await client.UploadAsync(session, "two.txt", [2, 2]);
        Assert.Equal(HttpStatusCode.Created, replaced.Status);
        Assert.Equal(2, replaced.Json["files"]![0]!["size"]!.GetValue<int>());
        var expires = DateTimeOffset.Parse(replaced.Json["files"]![0]!["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
    }

    [Fact]
    public async Task One_command_may_wait_behind_a_running_one_and_the_next_is_429()
    {
        var tasks = _host.Client();
        var session = await tasks.OpenSessionAsync();
        await tasks.ActionAsync(session, "slow", "browser_action", "evaluate_js", new JsonObject { ["js"] = "new Promise(r => setTimeout(r, 8000))" });
        await Task.Delay(500);
        var queued = await tasks.ActionAsync(session, "queued", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.OK, queued.Status);

        var refused = await tasks.ActionAsync(session, "refused", "browser_action", "evaluate_js", new JsonObject { ["js"] = "2" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Contains("1 commands waiting", refused.Detail);

        var browser = _host.SessionClient();
        var other = await browser.OpenAsync();
        var running = browser.TaskAsync(other, """{"actions": [{"type": "evaluate", "script": "new Promise(r => setTimeout(r, 8000))"}]}""");
        await Task.Delay(500);
        var waiting = browser.TaskAsync(other, """{"actions": [{"type": "evaluate", "script": "1"}]}""");
        await Task.Delay(300);
        var tooMany = await browser.TaskAsync(other, """{"actions": [{"type": "evaluate", "script": "2"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.Status);
        Assert.Equal("application/problem+json", tooMany.ContentType);
        Assert.Equal(HttpStatusCode.Created, (await running).Status);
        Assert.Equal(HttpStatusCode.Created, (await waiting).Status);

        var result = await tasks.WaitForEventAsync(session, "queued");
        Assert.Equal(200, result["payload"]!["code"]!.GetValue<int>());
    }
}
