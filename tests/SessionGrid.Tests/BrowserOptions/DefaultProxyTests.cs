using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// A host whose sessions go through a default proxy (<c>SessionGrid:Browser:Proxy:*</c>, with credentials), with an
/// operator template that names a proxy of its own and templates that name bad ones.
/// </summary>
public sealed class DefaultProxyHost : IAsyncLifetime
{
    public const string User = "default-user";
    public const string Password = "default-Pa55";

    public ForwardProxy Default { get; } = new(User, Password);

    public ForwardProxy Template { get; } = new("template-user", "template-Pa55");

    public SessionGridHost Host { get; private set; } = null!;

    private string Templates { get; } = Directory.CreateTempSubdirectory("sessiongrid-proxy-templates-").FullName;

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(Path.Combine(Templates, "proxied.json"), new JsonObject
        {
            ["kind"] = "actions",
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "navigate", ["url"] = "{task}" }),
            ["proxy"] = new JsonObject { ["server"] = Template.Url, ["username"] = "template-user", ["password"] = "template-Pa55" },
        }.ToJsonString());
        File.WriteAllText(Path.Combine(Templates, "badscheme.json"), """
            {"kind": "actions", "actions": [{"type": "navigate", "url": "{task}"}], "proxy": {"server": "gopher://127.0.0.1:70", "password": "t-secret"}}
            """);
        File.WriteAllText(Path.Combine(Templates, "metadata.json"), """
            {"kind": "actions", "actions": [{"type": "navigate", "url": "{task}"}], "proxy": {"server": "http://169.254.169.254:3128"}}
            """);
        Host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:Proxy:Server"] = Default.Url,
            ["SessionGrid:Browser:Proxy:Username"] = User,
            ["SessionGrid:Browser:Proxy:Password"] = Password,
            ["SessionGrid:Browsing:TemplatesFolder"] = Templates,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Default.DisposeAsync();
        await Template.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
        Directory.Delete(Templates, recursive: true);
    }
}

/// <summary>The node's default proxy, a session's own proxy over it, and the Browsing API's template proxies.</summary>
public sealed class DefaultProxyTests(DefaultProxyHost fixture, TestPages pages) : IClassFixture<DefaultProxyHost>
{
    private readonly TaskApiClient _tasks = fixture.Host.Client();

    private string Localhost(string marker) => pages.Url("/?m=" + marker).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    [Fact]
    public async Task A_session_without_a_proxy_of_its_own_goes_through_the_default_one_even_from_the_warm_pool()
    {
        await Eventually.Until(() => Task.FromResult(fixture.Host.Browsers.WarmCount > 0 ? "" : null), TimeSpan.FromSeconds(30), "a warm context");
        var marker = Guid.NewGuid().ToString("N");
        var session = await _tasks.OpenSessionAsync(Localhost(marker));
        await Eventually.Until(() => Task.FromResult(fixture.Default.Passes(marker) ? "" : null), TimeSpan.FromSeconds(30), "the start page through the default proxy");
        await _tasks.CancelAsync(session);
    }

    [Fact]
    public async Task A_session_with_a_proxy_of_its_own_goes_through_it_and_not_through_the_default()
    {
        var marker = Guid.NewGuid().ToString("N");
        await using var own = new ForwardProxy();
        var response = await _tasks.SubmitAsync(new JsonObject { ["task"] = null, ["url"] = Localhost(marker), ["proxy_server"] = own.Url }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        await Eventually.Until(() => Task.FromResult(own.Passes(marker) ? "" : null), TimeSpan.FromSeconds(30), "the start page through the session's proxy");
        Assert.False(fixture.Default.Reached(marker));
        await _tasks.CancelAsync(response.R["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_browsing_template_that_names_a_proxy_runs_its_task_through_it()
    {
        var marker = Guid.NewGuid().ToString("N");
        var status = await fixture.Host.BrowsingClient().SyncAsync(new JsonObject { ["task"] = Localhost(marker), ["template"] = "proxied" });
        Assert.True(status.Status == HttpStatusCode.OK, status.Body?.ToJsonString());
        Assert.True(status.Body!["success"]!.GetValue<bool>(), status.Body.ToJsonString());
        Assert.True(fixture.Template.Passes(marker));
        Assert.False(fixture.Default.Reached(marker));
    }

    [Theory]
    [InlineData("badscheme", "template 'badscheme': proxy.server has the scheme 'gopher'")]
    [InlineData("metadata", "requests to 169.254.169.254 are not allowed")]
    public async Task A_browsing_template_with_a_bad_proxy_is_a_400_error(string template, string expected)
    {
        var response = await fixture.Host.BrowsingClient().AsyncAsync(new JsonObject { ["task"] = pages.Url("/"), ["template"] = template });
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Error);
        Assert.DoesNotContain("t-secret", response.Body!.ToJsonString());
    }
}

/// <summary>A default proxy the host cannot use stops its start, naming the setting and never its password.</summary>
public sealed class DefaultProxySettingTests
{
    [Theory]
    [InlineData("ftp://proxy.example:21", "SessionGrid:Browser:Proxy:Server has the scheme 'ftp'")]
    [InlineData("http://proxy.example", "SessionGrid:Browser:Proxy:Server must be http://host:port")]
    [InlineData("socks5://proxy.example:1080", "SessionGrid:Browser:Proxy:Server: Chromium cannot authenticate to a SOCKS5 proxy")]
    public async Task A_malformed_default_proxy_stops_the_start_naming_the_setting(string server, string expected)
    {
        await using var host = new BuiltHost(new Dictionary<string, string>
        {
            ["SessionGrid:Browser:Proxy:Server"] = server,
            ["SessionGrid:Browser:Proxy:Username"] = "operator",
            ["SessionGrid:Browser:Proxy:Password"] = "operator-Pa55",
        });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.App.StartAsync());
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("operator-Pa55", error.Message);
        Assert.DoesNotContain("operator-Pa55", host.Output.Text);
    }

    [Fact]
    public async Task A_default_proxy_at_a_metadata_address_stops_the_start()
    {
        await using var host = new BuiltHost(new Dictionary<string, string> { ["SessionGrid:Browser:Proxy:Server"] = "http://169.254.169.254:3128" });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.App.StartAsync());
        Assert.Contains("SessionGrid:Browser:Proxy:Server: proxy: the proxy's host is refused", error.Message);
    }
}
