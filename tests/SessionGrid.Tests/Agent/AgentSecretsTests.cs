using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.Agent;

/// <summary>A host that logs everything (Trace) into the test and exports its telemetry in memory, its agent on a scripted model.</summary>
public sealed class SecretsHost : IAsyncLifetime
{
    public ScriptedModel Model { get; private set; } = null!;
    public SessionGridHost Host { get; private set; } = null!;
    public LogCapture Log { get; } = new();
    public TelemetryCapture Telemetry { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Model = await ScriptedModel.StartAsync();
        var settings = Model.Settings();
        settings["Logging:LogLevel:Default"] = "Trace";
        Host = await SessionGridHost.StartAsync(settings: settings, console: Log, configure: Telemetry.Configure);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Model.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

/// <summary>
/// Task secrets (<c>secrets</c> on <c>run_task</c> and <c>POST /task</c>): the model sees only names, the agent types
/// a value only where its allowed_urls let it, and afterwards the value is in no model request, no response, no event,
/// no log line, no span and no metric of the host, even after the page echoed it in its text and its URL.
/// </summary>
public sealed partial class AgentSecretsTests(SecretsHost fixture, TestPages pages) : IClassFixture<SecretsHost>
{
    private readonly TaskApiClient _client = fixture.Host.Client();
    private readonly List<string> _responses = [];
    private ScriptedModel Model => fixture.Model;

    [Fact]
    public async Task Run_task_types_a_secret_only_where_it_is_allowed_and_its_value_goes_nowhere()
    {
        Model.Reset();
        var marker = Guid.NewGuid().ToString("N");
        var value = "s3cr3t value/" + marker;
        Model.Play(
            request =>
            {
                // The model is told the placeholder and where it works, never the value.
                Assert.Contains("{{secret:API_KEY}} on " + pages.Url("/agent/secret-form"), request["messages"]![1]!["content"]!.GetValue<string>());
                var type = request["tools"]!.AsArray().Single(t => t!["function"]!["name"]!.GetValue<string>() == "type")!;
                Assert.Contains("{{secret:NAME}}", type["function"]!["description"]!.GetValue<string>());
                return OnElement("type", "other", new JsonObject { ["text"] = "{{secret:API_KEY}}" })(request);
            },
            request =>
            {
                var refusal = Last(request, "tool");
                Assert.StartsWith("error: secret_not_allowed: the secret 'API_KEY' may only be typed on pages matching its allowed_urls", refusal);
                Assert.Contains("not on " + pages.Url("/agent/other-form"), refusal);
                Assert.Matches(@"(?m)^\[\d+\] input:text name=""other""$", Last(request, "user"));
                return ToolCallOf("goto", new JsonObject { ["url"] = pages.Url("/agent/secret-form") });
            },
            OnElement("type", "api_key", new JsonObject { ["text"] = "key={{secret:API_KEY}}" }),
            request =>
            {
                // The page echoes the value in its text; the model reads the placeholder, and the field as hidden.
                var page = Last(request, "user");
                Assert.Contains("Live: key={{secret:API_KEY}}", page);
                Assert.Matches(@"(?m)^\[\d+\] input:text name=""api_key"" ""\(filled, hidden\)""$", page);
                Assert.Equal("ok", Last(request, "tool"));
                return OnElement("click", "Send")(request);
            },
            request =>
            {
                // The form sent it in the URL (form-encoded) and the next page shows it: both read as the placeholder.
                var page = Last(request, "user");
                Assert.Contains("api_key=key%3D{{secret:API_KEY}}", page);
                Assert.Contains("Received: key={{secret:API_KEY}}", page);
                return ToolCallOf("done", new JsonObject { ["output"] = "typed where allowed" });
            });

        var session = await _client.OpenSessionAsync(pages.Url("/agent/other-form"));
        Keep(await _client.ActionAsync(session, "rt-secret", "session_action", "run_task", new JsonObject
        {
            ["task"] = "enter the API key",
            ["max_steps"] = 8,
            ["secrets"] = new JsonObject
            {
                ["API_KEY"] = new JsonObject { ["value"] = value, ["allowed_urls"] = new JsonArray(pages.Url("/agent/secret-form"), pages.Url("/agent/echo*")) },
            },
        }));
        var ran = await _client.WaitForEventAsync(session, "rt-secret", TimeSpan.FromSeconds(60));
        Assert.True(200 == ran["payload"]!["code"]!.GetValue<int>(), ran.ToJsonString());
        Assert.Equal("typed where allowed", ran["payload"]!["output"]!["output"]!.GetValue<string>());

        var task = await _client.GetAsync(session, 0);
        Keep(task);
        var steps = task.R["events"]!.AsArray().Where(e => e!["name"]!.GetValue<string>() == "agent_step").Select(e => e!["payload"]!).ToList();
        Assert.Equal(["type", "goto", "type", "click", "done"], steps.Select(s => s!["tool"]!.GetValue<string>()));
        Assert.Equal([false, true, true, true, true], steps.Select(s => s!["ok"]!.GetValue<bool>()));
        Assert.Equal("key={{secret:API_KEY}}", steps[2]!["input"]!["text"]!.GetValue<string>());
        Assert.Contains("the secret 'API_KEY'", steps[0]!["error"]!.GetValue<string>());
        Assert.Contains("api_key=key%3D{{secret:API_KEY}}", steps[3]!["url"]!.GetValue<string>());

        AssertNowhere(marker);

        // It was typed: the page that received the form holds the value.
        await _client.ActionAsync(session, "read", "browser_action", "evaluate_js", new JsonObject { ["js"] = "new URLSearchParams(location.search).get('api_key')" });
        var read = await _client.WaitForEventAsync(session, "read");
        Assert.Equal("key=" + value, read["payload"]!["output"]!["output"]!.GetValue<string>());
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task A_task_s_secrets_are_typed_by_its_agent_and_read_back_as_placeholders()
    {
        Model.Reset();
        var marker = Guid.NewGuid().ToString("N");
        var email = $"alice-{marker}@example.test";
        Model.Play(
            OnElement("type", "email", new JsonObject { ["text"] = "{{secret:EMAIL}}" }),
            OnElement("type", "password", new JsonObject { ["text"] = "{{secret:PASSWORD}}", ["submit"] = true }),
            request => ToolCallOf("done", new JsonObject { ["output"] = Regex.Match(Last(request, "user"), "Signed in as (.*)").Groups[1].Value.Trim() }));

        var submitted = await _client.SubmitAsync(new JsonObject
        {
            ["task"] = "log in",
            ["url"] = pages.Url("/login"),
            ["secrets"] = new JsonObject
            {
                ["EMAIL"] = new JsonObject { ["value"] = email, ["allowed_urls"] = new JsonArray(pages.Url("/login")) },
                ["PASSWORD"] = new JsonObject { ["value"] = "hunter2", ["allowed_urls"] = new JsonArray("http://127.0.0.1:*/login") },
            },
        }.ToJsonString());
        Keep(submitted);
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        var id = submitted.R["id"]!.GetValue<string>();

        // The site signed the agent in (the password was right) and showed the address it got: the scrubbed placeholder.
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(60));
        Keep(await _client.GetAsync(id, 0));
        Assert.Equal("{{secret:EMAIL}}", done["output"]!.GetValue<string>());
        AssertNowhere(marker);
    }

    public static TheoryData<string, string> BadSecrets => new()
    {
        { "[]", "secrets must be an object" },
        { "\"API_KEY\"", "secrets must be an object" },
        { """{"A": "value"}""", "secrets.A must be an object with value and allowed_urls" },
        { """{"A": null}""", "secrets.A must be an object with value and allowed_urls" },
        { """{"A": {"value": "", "allowed_urls": ["https://a.test/**"]}}""", "secrets.A.value must be a string of 1 to 4096 characters" },
        { """{"A": {"allowed_urls": ["https://a.test/**"]}}""", "secrets.A.value must be a string" },
        { """{"A": {"value": 5, "allowed_urls": ["https://a.test/**"]}}""", "secrets.A.value must be a string" },
        { Secrets(1, 4097).Replace("S0", "A", StringComparison.Ordinal), "secrets.A.value must be a string of 1 to 4096 characters" },
        { """{"A": {"value": "v"}}""", "secrets.A.allowed_urls must list 1 to 16 URL patterns" },
        { """{"A": {"value": "v", "allowed_urls": []}}""", "secrets.A.allowed_urls must list 1 to 16" },
        { """{"A": {"value": "v", "allowed_urls": "https://a.test/**"}}""", "secrets.A.allowed_urls must list" },
        { """{"A": {"value": "v", "allowed_urls": [""]}}""", "secrets.A.allowed_urls must list" },
        { """{"A": {"value": "v", "allowed_urls": [7]}}""", "secrets.A.allowed_urls must list" },
        { Secrets(1, 1, urls: 17), "secrets.S0.allowed_urls must list 1 to 16" },
        { """{"a b": {"value": "v", "allowed_urls": ["https://a.test/**"]}}""", "the name 'a b' must be 1 to 64 letters" },
        { Secrets(1, 1, nameLength: 65), "must be 1 to 64 letters" },
        { Secrets(17, 1), "secrets may hold at most 16 secrets" },
    };

    [Theory]
    [MemberData(nameof(BadSecrets))]
    public async Task A_bad_secret_is_a_400_naming_it_on_submit_and_on_run_task_and_changes_nothing(string secrets, string expected)
    {
        var before = (await _client.ListAsync("?l=128")).R.AsArray().Count;
        var submitted = await _client.SubmitAsync("""{"task": "x", "secrets": """ + secrets + "}");
        Assert.Equal(HttpStatusCode.BadRequest, submitted.Status);
        Assert.Contains(expected, submitted.Detail);
        Assert.Equal(before, (await _client.ListAsync("?l=128")).R.AsArray().Count);

        var session = await _client.OpenSessionAsync();
        var sent = await _client.EventAsync(session, RunTask("rt-bad", secrets));
        Assert.Equal(HttpStatusCode.BadRequest, sent.Status);
        Assert.Contains(expected, sent.Detail);
        Assert.DoesNotContain("vvvv", sent.Detail);
        var task = await _client.GetAsync(session, 0);
        Assert.DoesNotContain(task.R["events"]!.AsArray(), e => e!["id"]?.GetValue<string>() == "rt-bad");
        Assert.Equal("running", task.R["status"]!.GetValue<string>());
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task Secrets_at_every_limit_are_accepted_and_a_session_takes_them_only_with_run_task()
    {
        Model.Reset();
        var full = Secrets(16, 4096, urls: 16, nameLength: 64);
        var submitted = await _client.SubmitAsync("""{"task": "x", "secrets": """ + full + "}");
        Assert.True(submitted.Status == HttpStatusCode.OK, submitted.Body?.ToJsonString());
        // The scripted model has no turn for it: the task fails at its first model call, and uses no later test's turn.
        await _client.WaitForStatusAsync(submitted.R["id"]!.GetValue<string>(), "failed", TimeSpan.FromSeconds(60));

        var session = await _client.OpenSessionAsync();
        var sent = await _client.EventAsync(session, RunTask("rt-full", full));
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        var ran = await _client.WaitForEventAsync(session, "rt-full", TimeSpan.FromSeconds(60));
        Assert.Contains("agent_model_error", ran["payload"]!["output"]!.GetValue<string>());
        Assert.DoesNotContain("vvvv", (await _client.GetAsync(session, 0)).Body!.ToJsonString());
        await _client.CancelAsync(session);

        var refused = await _client.SubmitAsync("""{"task": null, "secrets": {"A": {"value": "v", "allowed_urls": ["https://a.test/**"]}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("a session (task null) takes them with each run_task", refused.Detail);
    }

    /// <summary>A secrets object of <paramref name="count"/> secrets S0, S1, … with values of <paramref name="length"/> characters.</summary>
    private static string Secrets(int count, int length, int urls = 1, int nameLength = 0) => new JsonObject(Enumerable.Range(0, count).Select(i =>
        KeyValuePair.Create<string, JsonNode?>(nameLength == 0 ? $"S{i}" : $"S{i}".PadRight(nameLength, 'n'), new JsonObject
        {
            ["value"] = new string('v', length),
            ["allowed_urls"] = new JsonArray([.. Enumerable.Range(0, urls).Select(u => (JsonNode)$"https://site{u}.test/**")]),
        }))).ToJsonString();

    private static string RunTask(string id, string secrets) =>
        $$"""{"name": "session_action", "id": "{{id}}", "payload": {"name": "run_task", "input": {"task": "x", "secrets": """ + secrets + "}}}";

    private void Keep(TaskApiClient.Response response) => _responses.Add(response.Body?.ToJsonString() ?? "");

    /// <summary>Nothing the host said, logged, traced or measured, and nothing the model was sent, holds <paramref name="marker"/>.</summary>
    private void AssertNowhere(string marker)
    {
        fixture.Telemetry.Flush(fixture.Host.Services);
        var telemetry = fixture.Telemetry;
        var places = new List<(string Place, string Text)>
        {
            ("the log", fixture.Log.Text),
            ("the exported logs", string.Join("\n", telemetry.Logs.Select(l => l.Text))),
            ("the spans", string.Join("\n", telemetry.Spans.Select(Describe))),
            ("the metrics", string.Join("\n", telemetry.Metrics.Select(m => m.Name + string.Concat(m.MetricPoints.Select(Tags))))),
        };
        places.AddRange(Model.Requests.Select(r => ("a model request", r.ToJsonString())));
        places.AddRange(_responses.Select(r => ("a response", r)));
        Assert.NotEmpty(fixture.Log.Text);
        Assert.True(Model.Requests.Count >= 3);
        foreach (var (place, text) in places)
        {
            Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{place} holds the secret");
        }
    }

    private static string Describe(Activity span) =>
        $"{span.DisplayName} {span.StatusDescription} {string.Join(",", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))} "
        + string.Join(",", span.Events.Select(e => e.Name + string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}"))));

    private static string Tags(OpenTelemetry.Metrics.MetricPoint point)
    {
        var tags = new List<string>();
        foreach (var tag in point.Tags)
        {
            tags.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(",", tags);
    }

    private static JsonObject ToolCallOf(string tool, JsonObject arguments) => Call(tool, arguments)(new JsonObject());
}
