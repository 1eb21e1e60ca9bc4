using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Grains.Telemetry;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.VaultRequests;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// A Task API session workflow (open, goto, type into a password field, click, a vault authenticate, close) on a host
/// whose OpenTelemetry output is captured in memory: a span per action named by its type with the session and task
/// ids and the outcome, HTTP and grain spans in the same traces, SessionGrid's and Orleans' metrics (and on /metrics),
/// log records with the ids in their scope, and nowhere the password, the typed text or the username.
/// </summary>
public sealed class TelemetryTests(TestPages pages)
{
    [Fact]
    public async Task A_session_workflow_is_traced_and_measured_and_no_secret_is_exported()
    {
        var capture = new TelemetryCapture();
        var realm = pages.Vault.NewRealm();
        var typedSecret = "typed-" + Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:SessionGrid"] = "Trace" };
        var host = await SessionGridHost.StartAsync(settings: settings, configure: capture.Configure);
        try
        {
            var credential = await host.SessionClient().StoreAsync(Credential(realm));
            var client = host.Client();
            var id = await client.OpenSessionAsync();
            await RunAsync(client, id, "go", "goto", new JsonObject { ["url"] = pages.Url("/login") });
            await RunAsync(client, id, "secret", "type", new JsonObject { ["selector"] = "#password", ["text"] = typedSecret });
            await RunAsync(client, id, "go-widgets", "goto", new JsonObject { ["url"] = pages.Url("/widgets") });
            await RunAsync(client, id, "count", "click", new JsonObject { ["selector"] = "#counter" });
            await RunAsync(client, id, "login", "authenticate", new JsonObject
            {
                ["mode"] = "vault",
                ["credentialId"] = credential,
                ["selectors"] = new JsonObject { ["username"] = "#username", ["password"] = "#password", ["totp"] = "#totp", ["submit"] = "#signin" },
                ["success"] = new JsonObject { ["condition"] = "selector", ["value"] = "#welcome", ["timeoutMs"] = 10_000 },
            }, pages.At(realm.LoginPath));
            await client.ActionAsync(id, "bye", "session_action", "close", null);
            await client.WaitForStatusAsync(id, "done");
            Assert.Contains(realm.Submissions, s => s.PasswordOk);

            using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
            var scraped = await http.GetStringAsync("/metrics");
            capture.Flush(host.Services);

            // A span per action, named by its type, with the ids and the outcome.
            var actions = capture.Spans.Where(s => s.Source.Name == SessionGridTelemetry.Name && Tag(s, SessionGridTelemetry.SessionId) == id).ToList();
            Assert.Equal(["navigate", "type", "navigate", "click", "navigate", "authenticate"], actions.OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName));
            Assert.All(actions, span =>
            {
                Assert.Equal(id, Tag(span, SessionGridTelemetry.TaskId));
                Assert.Equal(span.DisplayName, Tag(span, SessionGridTelemetry.ActionType));
                Assert.Equal("ok", Tag(span, SessionGridTelemetry.ActionOutcome));
                Assert.Equal(ActivityStatusCode.Ok, span.Status);
            });

            // HTTP requests and grain calls are traced, and an action's span is in the trace of the request that sent it.
            var requests = capture.Spans.Where(s => s.Source.Name == "Microsoft.AspNetCore" && Tag(s, "url.path") == $"/api/v1/task/{id}/event").ToList();
            Assert.True(requests.Count >= 6, $"{requests.Count} event requests traced");
            Assert.All(requests, r => Assert.Equal("/api/v1/task/{taskId}/event", Tag(r, "http.route")));
            var click = actions.Single(s => s.DisplayName == "click");
            Assert.Contains(requests, r => r.TraceId == click.TraceId);
            var grainCalls = capture.Spans.Where(s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.TraceId == click.TraceId).ToList();
            Assert.Contains(grainCalls, s => s.DisplayName.Contains("ISessionGrain", StringComparison.Ordinal));

            // Metrics: SessionGrid's and Orleans', here and on the scrape endpoint.
            var metrics = capture.Metrics;
            var names = metrics.Select(m => m.Name).ToHashSet();
            foreach (var name in new[] { "sessiongrid.action.duration", "sessiongrid.tasks.finished", "sessiongrid.sessions.open", "sessiongrid.browser.contexts", "sessiongrid.browser.processes" })
            {
                Assert.Contains(name, names);
            }

            Assert.Contains(metrics, m => m.MeterName == "Microsoft.Orleans");
            var durations = metrics.First(m => m.Name == "sessiongrid.action.duration").MetricPoints.Select(Tags).ToList();
            Assert.Contains(durations, t => t[SessionGridTelemetry.ActionType] == "click" && t[SessionGridTelemetry.ActionOutcome] == "ok");
            var finished = metrics.First(m => m.Name == "sessiongrid.tasks.finished").MetricPoints.Select(Tags).ToList();
            Assert.Contains(finished, t => t[SessionGridTelemetry.TaskStatus] == "done" && t[SessionGridTelemetry.TaskKind] == "session" && t[SessionGridTelemetry.Dialect] == "task");
            Assert.Contains("sessiongrid_action_duration_seconds_bucket", scraped);
            Assert.Contains("sessiongrid_sessions_open", scraped);
            Assert.Contains("orleans_", scraped);

            // Logs written while an action runs carry its ids.
            var login = capture.Logs.Where(l => l.Text.Contains("authenticate (Vault", StringComparison.Ordinal)).ToList();
            Assert.Contains(login, l => Equals(l.Scope.GetValueOrDefault("SessionId"), id) && Equals(l.Scope.GetValueOrDefault("ActionType"), "authenticate"));

            // No secret anywhere: span names, attributes, events and statuses; metric names and tags; log text and scopes.
            var exported = capture.Spans.Select(Describe)
                .Concat(metrics.Select(m => $"{m.Name} {string.Join(";", m.MetricPoints.Select(p => string.Join(",", Tags(p))))}"))
                .Concat(capture.Logs.Select(l => l.Text))
                .Append(scraped)
                .ToList();
            Assert.True(exported.Count > 20, "something was exported");
            foreach (var secret in new[] { realm.Password, realm.Username, realm.TotpSecret, typedSecret })
            {
                Assert.DoesNotContain(exported, text => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
            }
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(host.DataDir, recursive: true);
        }
    }

    /// <summary>Navigates (when <paramref name="at"/> is given), runs one action and asserts it succeeded.</summary>
    private static async Task RunAsync(TaskApiClient client, string id, string eventId, string action, JsonObject input, string? at = null)
    {
        if (at is not null)
        {
            await RunAsync(client, id, eventId + "-at", "goto", new JsonObject { ["url"] = at });
        }

        var sent = await client.ActionAsync(id, eventId, "browser_action", action, input);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var result = await client.WaitForEventAsync(id, eventId);
        Assert.True(result["payload"]!["code"]!.GetValue<int>() == 200, result.ToJsonString());
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static Dictionary<string, string?> Tags(OpenTelemetry.Metrics.MetricPoint point)
    {
        var tags = new Dictionary<string, string?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value?.ToString();
        }

        return tags;
    }

    private static string Describe(Activity span) =>
        $"{span.Source.Name} {span.DisplayName} {span.StatusDescription} " +
        string.Join(",", span.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " +
        string.Join(",", span.Events.Select(e => $"{e.Name}:{string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}"))}")) + " " +
        string.Join(",", span.Baggage.Select(b => $"{b.Key}={b.Value}"));
}
