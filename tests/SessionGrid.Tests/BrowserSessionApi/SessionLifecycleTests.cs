using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserSessionApi;

/// <summary>Browser Session API sessions: create with options, read, list, delete, ownership, and a browser lost mid-task.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class SessionLifecycleTests(SharedHost shared, TestPages pages)
{
    private readonly BrowserSessionClient _client = shared.Host.SessionClient();

    [Fact]
    public async Task A_session_opens_with_the_requested_viewport_user_agent_locale_and_time_zone()
    {
        var created = await _client.CreateAsync("""
            {"viewport": {"width": 800, "height": 600}, "userAgent": "SessionGridTest/1.0", "locale": "de-DE", "timezoneId": "Asia/Tokyo"}
            """);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("active", created.Json["status"]!.GetValue<string>());
        var id = created.Json["id"]!.GetValue<string>();

        var probe = await _client.TaskAsync(id, new JsonObject
        {
            ["url"] = pages.Url("/"),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "evaluate",
                ["script"] = "[innerWidth, innerHeight, navigator.userAgent, navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone]",
            }),
        });
        Assert.Equal(HttpStatusCode.Created, probe.Status);
        Assert.Equal("""[800,600,"SessionGridTest/1.0","de-DE","Asia/Tokyo"]""", probe.Json["actionResults"]![0]!["value"]!.ToJsonString());

        var mobile = await _client.OpenAsync(new JsonObject { ["device"] = "mobile" });
        var width = await _client.TaskAsync(mobile, """{"actions": [{"type": "evaluate", "script": "screen.width"}]}""");
        Assert.Equal(412, width.Json["actionResults"]![0]!["value"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_session_is_read_listed_and_deleted_and_a_deleted_session_takes_no_tasks()
    {
        var id = await _client.OpenAsync();
        await _client.TaskAsync(id, new JsonObject { ["url"] = pages.Url("/second") });

        var read = await _client.GetAsync(id);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(id, read.Json["id"]!.GetValue<string>());
        Assert.Equal("active", read.Json["status"]!.GetValue<string>());
        Assert.Equal(pages.Url("/second"), read.Json["url"]!.GetValue<string>());
        Assert.Null(read.Json["closedAt"]);
        Assert.True(DateTimeOffset.TryParse(read.Json["createdAt"]!.GetValue<string>(), out _));

        var listed = await _client.ListAsync();
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Contains(listed.Json["sessions"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id);
        Assert.Single((await _client.ListAsync("?limit=1")).Json["sessions"]!.AsArray());

        // Each dialect lists only its own: the Task API's list does not show this session.
        var tasks = await shared.Host.Client().ListAsync("?l=128");
        Assert.DoesNotContain(tasks.R.AsArray(), t => t!["id"]!.GetValue<string>() == id);

        var deleted = await _client.DeleteAsync(id);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("closed", deleted.Json["status"]!.GetValue<string>());
        Assert.NotNull(deleted.Json["closedAt"]);

        var after = await _client.GetAsync(id);
        Assert.Equal("closed", after.Json["status"]!.GetValue<string>());
        Assert.Null(after.Json["url"]);

        var task = await _client.TaskAsync(id, """{"actions": [{"type": "evaluate", "script": "1"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, task.Status);
        Assert.Equal("application/problem+json", task.ContentType);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.UploadAsync(id, "a.txt", [1])).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PdfAsync(id)).Status);
    }

    [Fact]
    public async Task Another_key_sees_no_session_and_no_key_is_401_as_problem_details()
    {
        var id = await _client.OpenAsync();
        var other = shared.Host.SessionClient(TestKeys.B);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.TaskAsync(id, "{}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.UploadAsync(id, "a.txt", [1])).Status);
        Assert.DoesNotContain((await other.ListAsync()).Json["sessions"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id);
        Assert.Equal("active", (await _client.GetAsync(id)).Json["status"]!.GetValue<string>());

        foreach (var anonymous in new[] { shared.Host.SessionClient(null), shared.Host.SessionClient("sg_wrong") })
        {
            var denied = await anonymous.GetAsync(id);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.Status);
            Assert.Equal("application/problem+json", denied.ContentType);
            Assert.Equal(401, denied.Json["status"]!.GetValue<int>());
            Assert.Contains("Bearer", denied.Detail);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("not-a-uuid")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(Guid.NewGuid().ToString())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.TaskAsync(Guid.NewGuid().ToString(), "{}")).Status);
    }

    [Fact]
    public async Task A_task_whose_browser_dies_answers_503_and_the_session_then_reads_failed()
    {
        await using var host = await SessionGridHost.StartAsync();
        var client = host.SessionClient();
        var id = await client.OpenAsync();
        var running = client.TaskAsync(id, new JsonObject
        {
            ["url"] = pages.Url("/"),
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "evaluate", ["script"] = "new Promise(r => setTimeout(r, 20000))" }),
        });
        await Task.Delay(1500);
        foreach (var pid in ProcessTree.ChromiumOfHost(host.Browsers.HostId))
        {
            Process.GetProcessById(pid).Kill();
        }

        var response = await running;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
        Assert.Equal(0, response.Json["actionIndex"]!.GetValue<int>());
        var session = await Eventually.Until(async () =>
        {
            var read = await client.GetAsync(id);
            return read.Json["status"]!.GetValue<string>() == "failed" ? read.Json : null;
        }, TimeSpan.FromSeconds(20), "the session to read failed");
        Assert.Contains("browser_crashed", session["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.TaskAsync(id, "{}")).Status);
    }

    [Fact]
    public async Task A_session_that_cannot_get_a_browser_answers_503()
    {
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:ExecutablePath"] = "/nonexistent/chromium",
            ["SessionGrid:Browser:WarmContexts"] = "0",
        });
        var created = await host.SessionClient().CreateAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, created.Status);
        Assert.Contains("browser", created.Detail);
    }
}
