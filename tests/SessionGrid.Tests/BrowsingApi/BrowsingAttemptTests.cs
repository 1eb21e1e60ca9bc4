using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Api.Auth;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;
using SessionGrid.Grains.Browsing;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowsingApi;

/// <summary>
/// The sessions a browsing task's attempts run in: the browsing task is the Browsing API's one record, and an attempt's
/// session record says what became of the session (closed when the attempt ran to its end, cancelled when the timeout
/// stopped it) without being a task of any dialect: no dialect lists it, and the Task API and the Browser Session API
/// answer 404 for its id.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class BrowsingAttemptTests(SharedHost shared, TestPages pages)
{
    private readonly BrowsingClient _client = shared.Host.BrowsingClient();

    private IGrainFactory Grains => shared.Host.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task An_attempt_that_ran_to_its_end_closes_its_session_so_its_record_ends_done_whether_it_succeeded_or_failed()
    {
        var succeeded = await _client.SubmitAsync(new JsonObject { ["task"] = pages.Url("/"), ["template"] = "visit" });
        Assert.Equal("completed", (await _client.FinishedAsync(succeeded))["status"]!.GetValue<string>());

        var failing = new JsonArray(new JsonObject { ["type"] = "click", ["selector"] = "#missing", ["timeoutMs"] = 500 });
        var failed = await _client.SubmitAsync(new JsonObject { ["task"] = failing.ToJsonString(), ["template"] = "actions" });
        Assert.Equal("failed", (await _client.FinishedAsync(failed))["status"]!.GetValue<string>());

        // The task finishes only after its attempts ended their sessions: the records are final by now.
        foreach (var id in new[] { succeeded, failed })
        {
            var record = await AttemptRecordAsync(id);
            Assert.True(record.Phase == TaskPhase.Done, $"{id}-0 ended {record.Phase}");
            Assert.Equal(SessionEndReasons.Closed, ClosedReason(record));
            Assert.Equal(Dialects.BrowsingApi, record.Dialect);
        }
    }

    [Fact]
    public async Task An_attempt_stopped_by_the_task_s_timeout_cancels_its_session()
    {
        var slow = new JsonArray(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/slow"), ["timeoutMs"] = 60000 });
        var id = await _client.SubmitAsync(new JsonObject { ["task"] = slow.ToJsonString(), ["template"] = "actions", ["timeout"] = 1500 });
        Assert.StartsWith("timeout", (await _client.FinishedAsync(id, TimeSpan.FromSeconds(20)))["error"]!.GetValue<string>());

        var record = await AttemptRecordAsync(id);
        Assert.True(record.Phase == TaskPhase.Cancelled, $"{id}-0 ended {record.Phase}");
        Assert.Equal(SessionEndReasons.Cancelled, ClosedReason(record));
    }

    [Fact]
    public async Task An_attempt_s_session_and_a_session_key_s_session_are_no_dialect_s_task()
    {
        var id = await _client.SubmitAsync(new JsonObject { ["task"] = pages.Url("/"), ["template"] = "visit" });
        await _client.FinishedAsync(id);
        var sessionKey = "attempts-" + Guid.NewGuid().ToString("N");
        await _client.FinishedAsync(await _client.SubmitAsync(new JsonObject { ["task"] = pages.Url("/"), ["template"] = "visit", ["session_key"] = sessionKey }));
        var tenant = ApiKeyHash.TenantOf(ApiKeyHash.Of(TestKeys.A));
        var keyed = await Grains.GetGrain<IKeyedSessionGrain>(KeyedSessionGrain.KeyOf(tenant, sessionKey))
            .AcquireAsync(new SessionSpec(tenant, DeviceKind.Desktop, null) { Dialect = Dialects.BrowsingApi }, shared.Host.NodeName);
        Assert.True(keyed.Opened);

        // Both are records of the key's tenant (so a read by another dialect would find them), in the Browsing API's dialect.
        var attempt = await AttemptRecordAsync(id);
        var keyedRecord = (await Grains.GetGrain<ITaskGrain>(keyed.SessionId).GetAsync(0, includeEvents: false))!;
        Assert.Equal(tenant, attempt.Owner);
        Assert.Equal(tenant, keyedRecord.Owner);

        var tasks = shared.Host.Client();
        var sessions = shared.Host.SessionClient();
        foreach (var sessionId in new[] { $"{id}-0", keyed.SessionId })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await tasks.GetAsync(sessionId)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await tasks.CancelAsync(sessionId)).Status);
            var sent = await tasks.ActionAsync(sessionId, "probe", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
            Assert.Equal(HttpStatusCode.NotFound, sent.Status);
            Assert.Equal(HttpStatusCode.NotFound, (await sessions.GetAsync(sessionId)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await sessions.DeleteAsync(sessionId)).Status);

            var taskList = (await tasks.ListAsync("?l=128")).R.AsArray().Select(t => t!["id"]!.GetValue<string>());
            Assert.DoesNotContain(sessionId, taskList);
            var sessionList = (await sessions.ListAsync("?limit=100")).Json["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<string>());
            Assert.DoesNotContain(sessionId, sessionList);
        }

        // The keyed session was left open by its task (a later task of the key runs in it), and an attempt cannot end it.
        Assert.True((await Grains.GetGrain<ISessionGrain>(keyed.SessionId).DescribeAsync()).Open);
    }

    private async Task<TaskSnapshot> AttemptRecordAsync(string browsingTaskId)
    {
        var record = await Grains.GetGrain<ITaskGrain>($"{browsingTaskId}-0").GetAsync(0, includeEvents: true);
        Assert.NotNull(record);
        return record;
    }

    private static string? ClosedReason(TaskSnapshot record) =>
        JsonNode.Parse(record.Events.Last(e => e.Name == "session_closed").Data!)!["reason"]!.GetValue<string>();
}
