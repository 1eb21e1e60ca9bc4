using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// A proxy's password is a secret: sessions that use it (shared, dedicated and profile-backed, whose spec would otherwise
/// be kept for a restore, in both dialects that take one), a wrong one, and refused requests that carry it in every place it can be given, on a host that logs everything (Trace) and
/// exports its telemetry; afterwards the password is in no response, task record or event, log line, span, exported log
/// record, or file of the data folder.
/// </summary>
public sealed class ProxyLeakTests(TestPages pages)
{
    [Fact]
    public async Task The_proxy_password_reaches_no_response_record_log_span_or_store()
    {
        var password = "leak-" + Guid.NewGuid().ToString("N");
        await using var proxy = new ForwardProxy("leak-user", password);
        var console = new LogCapture();
        var telemetry = new TelemetryCapture();
        var answers = new List<string>();
        var sessions = new List<string>();
        string dataDir;
        await using (var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Trace" }, console: console, configure: telemetry.Configure))
        {
            dataDir = host.DataDir;
            var tasks = host.Client();
            var browserSessions = host.SessionClient();
            var withUrl = proxy.Url.Replace("http://", $"http://leak-user:{password}@", StringComparison.Ordinal);
            var page = pages.Url("/").Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

            async Task<string> OpenAndBrowseAsync(JsonObject request)
            {
                request["task"] = null;
                var opened = await tasks.SubmitAsync(request.ToJsonString());
                answers.Add(opened.Body!.ToJsonString());
                var id = opened.R["id"]!.GetValue<string>();
                sessions.Add(id);
                await tasks.ActionAsync(id, "go", "browser_action", "goto", new JsonObject { ["url"] = page });
                answers.Add((await tasks.WaitForEventAsync(id, "go", TimeSpan.FromSeconds(60))).ToJsonString());
                return id;
            }

            await OpenAndBrowseAsync(new JsonObject { ["proxy_server"] = proxy.Url, ["proxy_username"] = "leak-user", ["proxy_password"] = password });
            await OpenAndBrowseAsync(new JsonObject { ["proxy_server"] = withUrl, ["isolation"] = "dedicated" });
            await OpenAndBrowseAsync(new JsonObject { ["proxy_server"] = proxy.Url, ["proxy_username"] = "leak-user", ["proxy_password"] = password + "-wrong" });

            // A profile-backed session is restorable, so its spec is written to the store: not with a proxy password in it.
            Assert.Equal(HttpStatusCode.OK, (await tasks.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = "leak-profile" }.ToJsonString())).Status);
            await OpenAndBrowseAsync(new JsonObject { ["proxy_server"] = withUrl, ["profile_id"] = "leak-profile" });
            Assert.True(proxy.Passes("/?") || proxy.Passes(pages.Url("/").Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), "no session went through the proxy");

            foreach (var refused in new[]
            {
                new JsonObject { ["proxy_server"] = withUrl, ["proxy_username"] = "leak-user", ["proxy_password"] = password },
                new JsonObject { ["proxy_server"] = "socks5://127.0.0.1:1080", ["proxy_username"] = "leak-user", ["proxy_password"] = password },
                new JsonObject { ["proxy_server"] = $"http://leak-user:{password}@169.254.169.254:80" },
                new JsonObject { ["proxy_server"] = "self", ["proxy_password"] = password },
                new JsonObject { ["proxy_server"] = $"ftp://leak-user:{password}@127.0.0.1:21" },
            })
            {
                refused["task"] = null;
                var response = await tasks.SubmitAsync(refused.ToJsonString());
                Assert.Equal(HttpStatusCode.BadRequest, response.Status);
                answers.Add(response.Body!.ToJsonString());
            }

            var created = await browserSessions.CreateAsync(new JsonObject
            {
                ["proxy"] = new JsonObject { ["server"] = proxy.Url, ["username"] = "leak-user", ["password"] = password },
            }.ToJsonString());
            answers.Add(created.Body!.ToJsonString());
            var browserSession = created.Json["id"]!.GetValue<string>();
            answers.Add((await browserSessions.TaskAsync(browserSession, new JsonObject { ["url"] = page })).Body!.ToJsonString());
            answers.Add((await browserSessions.GetAsync(browserSession)).Body!.ToJsonString());
            answers.Add((await browserSessions.CreateAsync(new JsonObject
            {
                ["proxy"] = new JsonObject { ["server"] = $"http://x:{password}@127.0.0.1:1", ["password"] = password },
            }.ToJsonString())).Body!.ToJsonString());
            answers.Add((await browserSessions.DeleteAsync(browserSession)).Body!.ToJsonString());

            foreach (var id in sessions)
            {
                answers.Add((await tasks.GetAsync(id, 0)).Body!.ToJsonString());
                await tasks.CancelAsync(id);
            }

            answers.Add((await tasks.ListAsync("?l=128")).Body!.ToJsonString());
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            foreach (var id in sessions.Append(browserSession))
            {
                answers.Add(JsonSerializer.Serialize(await grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: true)));
            }

            telemetry.Flush(host.Services);
        }

        var log = console.Text;
        Assert.Contains("Trace", log);
        var spans = telemetry.Spans.Select(s => $"{s.DisplayName} {s.StatusDescription} {string.Join(", ", s.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {string.Join(", ", s.Events.Select(e => e.Name))}");
        var store = Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories).Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f)));
        var places = new[] { ("the log", log) }
            .Concat(answers.Select(a => ("a response or record", a)))
            .Concat(telemetry.Logs.Select(l => ("an exported log record", l.Text)))
            .Concat(spans.Select(s => ("a span", s)))
            .Concat(store.Select(s => ("the store", s)));
        foreach (var (place, text) in places)
        {
            Assert.False(text.Contains(password, StringComparison.Ordinal), $"{place} holds the proxy password: {text[..Math.Min(text.Length, 300)]}");
        }

        Directory.Delete(dataDir, recursive: true);
    }
}
