using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// A session's upstream proxy in the Task API (<c>proxy_server</c>, <c>proxy_username</c>, <c>proxy_password</c>) and the
/// Browser Session API (<c>proxy</c>), through a forward proxy of the tests' own that requires basic authentication and
/// records what passed: everything the session's pages ask for goes through it, pages on <c>localhost</c> too, in a
/// shared and in a dedicated browser, and another session's requests do not.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ProxyTests(SharedHost shared, TestPages pages) : IAsyncLifetime
{
    private const string User = "proxy-user";
    private const string Password = "proxy-Pa55-word";
    private readonly TaskApiClient _tasks = shared.Host.Client();
    private readonly BrowserSessionClient _sessions = shared.Host.SessionClient();
    private readonly ForwardProxy _proxy = new(User, Password);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();

    /// <summary>A test page on <c>localhost</c>, which Chromium reaches directly unless told otherwise, marked so the proxy's record can be searched.</summary>
    private string Localhost(string marker) => pages.Url("/?m=" + marker).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    [Fact]
    public async Task A_Task_API_session_sends_every_request_through_its_proxy_loopback_too_and_another_session_does_not()
    {
        var marker = Guid.NewGuid().ToString("N");
        var proxied = await _tasks.OpenWithAsync(new JsonObject { ["proxy_server"] = _proxy.Url, ["proxy_username"] = User, ["proxy_password"] = Password });
        var direct = await _tasks.OpenWithAsync(new JsonObject());

        Assert.Equal(200, (await _tasks.ActAsync(proxied, "goto", new JsonObject { ["url"] = Localhost("a-" + marker) }))["code"]!.GetValue<int>());
        Assert.Equal("SessionGrid test page", (await _tasks.ActAsync(proxied, "evaluate_js", new JsonObject { ["js"] = "document.title" }))["output"]!["output"]!.GetValue<string>());
        Assert.True(_proxy.Passes("a-" + marker), "the session's request did not pass the proxy");

        // The page's own requests go through it too.
        await _tasks.ActAsync(proxied, "evaluate_js", new JsonObject { ["js"] = $"fetch('{pages.Url("/second?m=f-" + marker)}').then(r => r.status)" });
        Assert.True(_proxy.Passes("f-" + marker), "the page's fetch did not pass the proxy");

        Assert.Equal(200, (await _tasks.ActAsync(direct, "goto", new JsonObject { ["url"] = Localhost("b-" + marker) }))["code"]!.GetValue<int>());
        Assert.False(_proxy.Reached("b-" + marker), "a session without a proxy went through it");
        await _tasks.CancelAsync(proxied);
        await _tasks.CancelAsync(direct);
    }

    [Fact]
    public async Task Behind_a_proxy_the_URL_policy_still_refuses_what_the_page_asks_for_before_it_reaches_the_proxy()
    {
        var marker = Guid.NewGuid().ToString("N");
        var session = await _tasks.OpenWithAsync(new JsonObject { ["proxy_server"] = _proxy.Url, ["proxy_username"] = User, ["proxy_password"] = Password });
        await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = Localhost("p-" + marker) });
        var fetched = await _tasks.EvaluateAsync(session,
            $"fetch('http://169.254.169.254/latest/meta-data/?m={marker}').then(() => 'reached', () => 'refused')");
        Assert.Equal("refused", fetched!.GetValue<string>());
        var refused = await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = $"http://metadata.google.internal/?m={marker}" });
        Assert.Contains("url_refused", refused["output"]!.GetValue<string>());
        Assert.True(_proxy.Passes("p-" + marker));
        Assert.False(_proxy.Reached("m=" + marker), "a refused request reached the proxy");
        await _tasks.CancelAsync(session);
    }

    [Fact]
    public async Task A_dedicated_session_takes_the_credentials_from_the_proxy_url()
    {
        var marker = Guid.NewGuid().ToString("N");
        var server = _proxy.Url.Replace("http://", $"http://{User}:{Uri.EscapeDataString(Password)}@", StringComparison.Ordinal);
        var session = await _tasks.OpenWithAsync(new JsonObject { ["proxy_server"] = server, ["isolation"] = "dedicated" });
        Assert.Equal(200, (await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = Localhost(marker) }))["code"]!.GetValue<int>());
        Assert.True(_proxy.Passes(marker));
        await _tasks.CancelAsync(session);
    }

    [Fact]
    public async Task A_Browser_Session_API_session_goes_through_the_proxy_it_was_created_with_and_its_bypass_list_is_kept()
    {
        var marker = Guid.NewGuid().ToString("N");
        var id = await _sessions.OpenAsync(new JsonObject
        {
            ["proxy"] = new JsonObject { ["server"] = _proxy.Url, ["username"] = User, ["password"] = Password, ["bypass"] = "127.0.0.1" },
        });
        var viaProxy = await _sessions.TaskAsync(id, new JsonObject { ["url"] = Localhost("p-" + marker) });
        Assert.Equal(HttpStatusCode.Created, viaProxy.Status);
        Assert.True(_proxy.Passes("p-" + marker));

        var bypassed = await _sessions.TaskAsync(id, new JsonObject { ["url"] = pages.Url("/?m=d-" + marker) });
        Assert.Equal(HttpStatusCode.Created, bypassed.Status);
        Assert.False(_proxy.Reached("d-" + marker), "a bypassed host went through the proxy");
        await _sessions.DeleteAsync(id);
    }

    public static TheoryData<string, string, string?, string?, string> BadProxies => new()
    {
        { "unknown scheme", "ftp://127.0.0.1:2121", null, null, "not a proxy scheme" },
        { "no scheme", "127.0.0.1:3128", null, null, "must be a URL with a scheme and a port" },
        { "no port", "http://127.0.0.1", null, null, "with the port" },
        { "a path", "http://127.0.0.1:3128/proxy", null, null, "without a path" },
        { "port out of range", "http://127.0.0.1:70000", null, null, "port out of range" },
        { "credentials twice", $"http://{User}:{Password}@127.0.0.1:3128", User, Password, "not both" },
        { "a password without a user", "http://127.0.0.1:3128", null, Password, "needs" },
        { "socks5 with credentials", "socks5://127.0.0.1:1080", User, Password, "cannot authenticate to a SOCKS5 proxy" },
        { "a metadata address", "http://169.254.169.254:80", null, null, "requests to 169.254.169.254 are not allowed" },
        { "a metadata name", "http://metadata.google.internal:3128", null, null, "requests to metadata.google.internal are not allowed" },
        { "self", "self", null, Password, "not supported by SessionGrid" },
    };

    [Theory]
    [MemberData(nameof(BadProxies))]
    public async Task A_bad_proxy_is_a_400_in_the_Task_API_that_names_it_creates_nothing_and_never_repeats_the_password(
        string why, string server, string? username, string? password, string expected)
    {
        var before = (await _tasks.ListAsync("?l=128")).R.AsArray().Count;
        var response = await _tasks.SubmitAsync(new JsonObject
        {
            ["task"] = null, ["proxy_server"] = server, ["proxy_username"] = username, ["proxy_password"] = password,
        }.ToJsonString());
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{why}: {response.Status} {response.Body?.ToJsonString()}");
        Assert.Contains(expected, response.Detail);
        Assert.Contains("proxy", response.Detail);
        Assert.DoesNotContain(Password, response.Body!.ToJsonString());
        Assert.Equal(before, (await _tasks.ListAsync("?l=128")).R.AsArray().Count);
    }

    [Theory]
    [MemberData(nameof(BadProxies))]
    public async Task A_bad_proxy_is_a_400_problem_in_the_Browser_Session_API_and_creates_nothing(
        string why, string server, string? username, string? password, string expected)
    {
        var before = (await _sessions.ListAsync("?limit=100")).Json["sessions"]!.AsArray().Count;
        var response = await _sessions.CreateAsync(new JsonObject
        {
            ["proxy"] = new JsonObject { ["server"] = server, ["username"] = username, ["password"] = password },
        }.ToJsonString());
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{why}: {response.Status} {response.Body?.ToJsonString()}");
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Contains(expected.Replace("proxy_", "proxy.", StringComparison.Ordinal), response.Detail);
        Assert.DoesNotContain(Password, response.Body!.ToJsonString());
        Assert.Equal(before, (await _sessions.ListAsync("?limit=100")).Json["sessions"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_Browser_Session_API_refuses_proxy_parts_without_a_server()
    {
        var response = await _sessions.CreateAsync("""{"proxy": {"username": "u", "password": "p"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("need proxy.server", response.Detail);
        Assert.DoesNotContain("\"p\"", response.Detail);
    }

    [Fact]
    public async Task A_proxy_that_refuses_the_connection_fails_the_action_with_a_400_naming_it_and_the_session_stays_usable()
    {
        var closed = Ports.Free();
        var session = await _tasks.OpenWithAsync(new JsonObject { ["proxy_server"] = $"http://127.0.0.1:{closed}" });
        var failed = await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = pages.Url("/") });
        Assert.True(400 == failed["code"]!.GetValue<int>(), failed.ToJsonString());
        Assert.Contains($"proxy_failed: the session's proxy http://127.0.0.1:{closed} refused the connection", failed["output"]!.GetValue<string>());
        var usable = await _tasks.ActAsync(session, "evaluate_js", new JsonObject { ["js"] = "1 + 1" });
        Assert.True(usable["code"]!.GetValue<int>() == 200, usable.ToJsonString());
        Assert.Equal(2, usable["output"]!["output"]!.GetValue<int>());
        Assert.Equal("running", (await _tasks.GetAsync(session)).R["status"]!.GetValue<string>());
        await _tasks.CancelAsync(session);

        var id = await _sessions.OpenAsync(new JsonObject { ["proxy"] = new JsonObject { ["server"] = $"http://127.0.0.1:{closed}" } });
        var problem = await _sessions.TaskAsync(id, new JsonObject { ["url"] = pages.Url("/") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.Status);
        Assert.Contains($"proxy_failed: the session's proxy http://127.0.0.1:{closed}", problem.Detail);
        var after = await _sessions.ActionAsync(id, new JsonObject { ["type"] = "evaluate", ["script"] = "1 + 1" });
        Assert.True(after.Status == HttpStatusCode.Created, after.Body?.ToJsonString());
        await _sessions.DeleteAsync(id);
    }

    [Fact]
    public async Task A_proxy_that_asks_for_credentials_that_were_not_given_fails_the_action_naming_it()
    {
        var marker = Guid.NewGuid().ToString("N");
        var session = await _tasks.OpenWithAsync(new JsonObject { ["proxy_server"] = _proxy.Url });
        var failed = await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = Localhost(marker) });
        Assert.Equal(400, failed["code"]!.GetValue<int>());
        Assert.Contains($"proxy_failed: the session's proxy {_proxy.Url} asked for credentials", failed["output"]!.GetValue<string>());
        Assert.True(_proxy.Reached(marker) && !_proxy.Passes(marker));
        var usable = await _tasks.ActAsync(session, "evaluate_js", new JsonObject { ["js"] = "1 + 1" });
        Assert.True(usable["code"]!.GetValue<int>() == 200, usable.ToJsonString());
        Assert.Equal(2, usable["output"]!["output"]!.GetValue<int>());
        await _tasks.CancelAsync(session);
    }
}
