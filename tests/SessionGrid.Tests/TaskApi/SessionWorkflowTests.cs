using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.TaskApi;

[Collection(SharedHostCollection.Name)]
public sealed class SessionWorkflowTests(SharedHost shared, TestPages pages)
{
    private readonly TaskApiClient _client = shared.Host.Client();

    [Fact]
    public async Task A_session_opens_navigates_evaluates_and_closes_with_results_as_events()
    {
        var open = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["device"] = "desktop" }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, open.Status);
        var taskId = open.R["id"]!.GetValue<string>();
        Assert.Equal("running", open.R["status"]!.GetValue<string>());
        Assert.Equal("desktop", open.R["device"]!.GetValue<string>());
        Assert.True(open.R.AsObject().ContainsKey("live_url"));

        var sent = await _client.ActionAsync(taskId, "goto-1", "browser_action", "goto", new JsonObject { ["url"] = pages.Url("/") });
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal("goto-1", sent.R["id"]!.GetValue<string>());
        var gotoResult = await _client.WaitForEventAsync(taskId, "goto-1");
        Assert.Equal("browser_action", gotoResult["name"]!.GetValue<string>());
        Assert.Equal(200, gotoResult["payload"]!["code"]!.GetValue<int>());
        Assert.Equal(pages.Url("/"), gotoResult["payload"]!["output"]!["output"]!["url"]!.GetValue<string>());
        Assert.Equal(0, gotoResult["payload"]!["output"]!["credits_used"]!.GetValue<int>());
        Assert.True(gotoResult["payload"]!["output"]!["duration"]!.GetValue<double>() >= 0);
        var cursor = gotoResult["timestamp"]!.GetValue<long>();

        await _client.ActionAsync(taskId, "js-1", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "document.querySelector('#greeting').textContent", ["args"] = null });
        await _client.ActionAsync(taskId, "js-2", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "return document.title + ' / ' + args.suffix", ["args"] = new JsonObject { ["suffix"] = "ok" } });
        await _client.ActionAsync(taskId, "js-3", "browser_action", "exec_js",
            new JsonObject { ["js"] = "(args) => args.n * 2", ["args"] = new JsonObject { ["n"] = 21 } });
        await _client.WaitForEventAsync(taskId, "js-3");

        // Polling with event_t returns only newer events, ascending, and never echoes the requests.
        var newer = await _client.GetAsync(taskId, cursor);
        Assert.Equal(HttpStatusCode.Accepted, newer.Status);
        var events = newer.R["events"]!.AsArray();
        Assert.Equal(["js-1", "js-2", "js-3"], events.Select(e => e!["id"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(200, e!["payload"]!["code"]!.GetValue<int>()));
        Assert.Equal("Hello from the test page", events[0]!["payload"]!["output"]!["output"]!.GetValue<string>());
        Assert.Equal("SessionGrid test page / ok", events[1]!["payload"]!["output"]!["output"]!.GetValue<string>());
        Assert.Equal(42, events[2]!["payload"]!["output"]!["output"]!.GetValue<int>());
        var stamps = events.Select(e => e!["timestamp"]!.GetValue<long>()).ToList();
        Assert.All(stamps, t => Assert.True(t > cursor));
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());

        var nothingNew = await _client.GetAsync(taskId, stamps[^1]);
        Assert.Empty(nothingNew.R["events"]!.AsArray());

        await _client.ActionAsync(taskId, "close-1", "session_action", "close", null);
        var done = await _client.WaitForStatusAsync(taskId, "done");
        var finalEvents = done["events"]!.AsArray();
        var close = finalEvents.Single(e => e!["id"]?.GetValue<string>() == "close-1")!;
        Assert.Equal("session_action", close["name"]!.GetValue<string>());
        Assert.True(close["payload"]!["output"]!["output"]!.GetValue<bool>());
        Assert.Equal("session_closed", finalEvents[^1]!["name"]!.GetValue<string>());
        Assert.Equal("closed", finalEvents[^1]!["payload"]!["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(taskId)).Status);
        // Recorded by default (enable_recording): null while the video is being finished, then its link.
        Assert.True(done["recording_url"] is null || done["recording_url"]!.GetValue<string>().Contains($"/recordings/{taskId}?t=", StringComparison.Ordinal),
            done["recording_url"]?.ToJsonString());
    }

    [Fact]
    public async Task A_session_opened_with_a_url_starts_there_and_a_mobile_device_gets_a_mobile_viewport()
    {
        var open = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["url"] = pages.Url("/second"), ["device"] = "mobile" }.ToJsonString());
        var taskId = open.R["id"]!.GetValue<string>();
        Assert.Equal("mobile", open.R["device"]!.GetValue<string>());

        await _client.ActionAsync(taskId, "where", "browser_action", "evaluate_js",
            new JsonObject { ["js"] = "({ url: location.href, width: screen.width, mobile: navigator.userAgent.includes('Mobile') })" });
        var result = (await _client.WaitForEventAsync(taskId, "where"))["payload"]!["output"]!["output"]!;
        Assert.Equal(pages.Url("/second"), result["url"]!.GetValue<string>());
        Assert.Equal(412, result["width"]!.GetValue<int>());
        Assert.True(result["mobile"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await _client.CancelAsync(taskId)).Status);
    }

    [Fact]
    public async Task Cancel_interrupts_the_running_action_closes_the_browser_and_ends_cancelled()
    {
        var taskId = await _client.OpenSessionAsync();
        await _client.ActionAsync(taskId, "slow", "browser_action", "goto", new JsonObject { ["url"] = pages.Url("/slow") });
        await _client.ActionAsync(taskId, "queued", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        await Task.Delay(500);

        var cancel = await _client.CancelAsync(taskId);
        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.True(cancel.R.GetValue<bool>());

        var task = await _client.GetAsync(taskId);
        Assert.Equal(HttpStatusCode.OK, task.Status);
        Assert.Equal("cancelled", task.R["status"]!.GetValue<string>());
        var events = task.R["events"]!.AsArray();
        Assert.Equal(["slow", "queued", null], events.Select(e => e!["id"]?.GetValue<string>()));
        Assert.All(events.Take(2), e => Assert.Equal(400, e!["payload"]!["code"]!.GetValue<int>()));
        Assert.Equal("cancelled", events[2]!["payload"]!["reason"]!.GetValue<string>());

        // Finished: cancelling again is a 404, and no event is accepted any more.
        Assert.Equal(HttpStatusCode.NotFound, (await _client.CancelAsync(taskId)).Status);
        var late = await _client.ActionAsync(taskId, "late", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.BadRequest, late.Status);
        Assert.Contains("closed", late.Detail);
    }

    [Fact]
    public async Task A_script_error_is_a_400_result_and_the_session_keeps_working()
    {
        var taskId = await _client.OpenSessionAsync(pages.Url("/"));
        await _client.ActionAsync(taskId, "boom", "browser_action", "evaluate_js", new JsonObject { ["js"] = "throw new Error('kaboom')" });
        var failed = await _client.WaitForEventAsync(taskId, "boom");
        Assert.Equal(400, failed["payload"]!["code"]!.GetValue<int>());
        Assert.Contains("kaboom", failed["payload"]!["output"]!.GetValue<string>());

        await _client.ActionAsync(taskId, "after", "browser_action", "evaluate_js", new JsonObject { ["js"] = "document.title" });
        var after = await _client.WaitForEventAsync(taskId, "after");
        Assert.Equal("SessionGrid test page", after["payload"]!["output"]!["output"]!.GetValue<string>());
        await _client.CancelAsync(taskId);
    }

    [Fact]
    public async Task An_event_without_an_id_gets_one_generated_and_returned()
    {
        var taskId = await _client.OpenSessionAsync();
        var sent = await _client.EventAsync(taskId, """{"name":"browser_action","payload":{"name":"evaluate_js","input":{"js":"1+1"}}}""");
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var id = sent.R["id"]!.GetValue<string>();
        Assert.StartsWith("evt_", id);
        var result = await _client.WaitForEventAsync(taskId, id);
        Assert.Equal(2, result["payload"]!["output"]!["output"]!.GetValue<int>());
        await _client.CancelAsync(taskId);
    }
}
