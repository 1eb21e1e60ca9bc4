using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SessionGrid.Grains.Browser;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// Ad blocking (<c>use_adblock</c>, on unless false, as the SDKs send it): a page whose image comes from an ad host on
/// the built-in list loads with that request blocked (it never reaches the network: the tests' forward proxy, which
/// answers every non-loopback host itself, never sees it) and counted; with <c>use_adblock: false</c> it goes out.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class AdBlockTests(SharedHost shared, TestPages pages) : IAsyncLifetime
{
    private readonly TaskApiClient _tasks = shared.Host.Client();
    private readonly ForwardProxy _proxy = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();

    [Theory]
    [InlineData("true", true)]
    [InlineData("null", true)]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public async Task A_page_with_an_ad_host_loads_with_that_request_blocked_unless_use_adblock_is_false(string? useAdblock, bool blocked)
    {
        var marker = Guid.NewGuid().ToString("N");
        var request = new JsonObject { ["task"] = null, ["proxy_server"] = _proxy.Url };
        if (useAdblock is not null)
        {
            request["use_adblock"] = JsonNode.Parse(useAdblock);
        }

        using var counter = new BlockedCounter();
        var session = await _tasks.OpenWithAsync(request);
        var page = pages.Url($"/ads?host=pagead2.googlesyndication.com&m={marker}");
        Assert.Equal(200, (await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = page }))["code"]!.GetValue<int>());
        Assert.Equal("the page's own content", (await _tasks.ActAsync(session, "evaluate_js", new JsonObject { ["js"] = "document.getElementById('content').textContent" }))["output"]!["output"]!.GetValue<string>());
        Assert.True(_proxy.Passes("/ads?host=pagead2.googlesyndication.com&m=" + marker), "the page itself did not load through the proxy");

        // The page has loaded, its image with it (or its image's request was aborted before it left).
        Assert.Equal(!blocked, _proxy.Reached("pagead2.googlesyndication.com/pixel.gif?m=" + marker));
        if (blocked)
        {
            Assert.True(counter.Count >= 1, "the blocked request was not counted");
        }

        await _tasks.CancelAsync(session);
    }

    [Fact]
    public async Task A_navigation_the_session_asks_for_itself_is_not_blocked()
    {
        var marker = Guid.NewGuid().ToString("N");
        var session = await _tasks.OpenWithAsync(new JsonObject { ["task"] = null, ["proxy_server"] = _proxy.Url, ["use_adblock"] = true });
        var went = await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = $"http://doubleclick.net/?m={marker}" });
        Assert.Equal(200, went["code"]!.GetValue<int>());
        Assert.True(_proxy.Passes("doubleclick.net/?m=" + marker));
        await _tasks.CancelAsync(session);
    }

    [Fact]
    public async Task A_use_adblock_that_is_not_a_boolean_is_a_400()
    {
        var response = await _tasks.SubmitAsync("""{"task": null, "use_adblock": "yes"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("use_adblock", response.Detail);
    }
}

/// <summary>The <c>sessiongrid.adblock.blocked</c> counter's increments in this process while it is alive.</summary>
public sealed class BlockedCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public BlockedCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "SessionGrid" && instrument.Name == "sessiongrid.adblock.blocked")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}

/// <summary>A host whose sessions block the hosts of an operator's own list (<c>SessionGrid:Browser:BlockListPath</c>), in every format it reads.</summary>
public sealed class OperatorBlockListHost : IAsyncLifetime
{
    public string ListFile { get; } = Path.Combine(Directory.CreateTempSubdirectory("sessiongrid-blocklist-").FullName, "hosts.txt");

    public SessionGridHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        File.WriteAllLines(ListFile,
        [
            "[Adblock Plus 2.0]",
            "! an operator's list",
            "0.0.0.0 ads.example localhost # hosts format, two names on a line",
            "127.0.0.1 tracker.example",
            "||metrics.example^",
            "plain.example",
            "||cdn.example/ads.js",
            "||thirdparty.example^$third-party",
            "example.org##.banner",
            "@@||allowed.example^",
        ]);
        Host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["SessionGrid:Browser:BlockListPath"] = ListFile });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
        Directory.Delete(Path.GetDirectoryName(ListFile)!, recursive: true);
    }
}

/// <summary>An operator's block list replaces the built-in one; rules of kinds SessionGrid does not read are skipped, not guessed at.</summary>
public sealed class OperatorBlockListTests(OperatorBlockListHost fixture, TestPages pages) : IClassFixture<OperatorBlockListHost>
{
    [Theory]
    [InlineData("ads.example", true)]
    [InlineData("deep.sub.tracker.example", true)]
    [InlineData("metrics.example", true)]
    [InlineData("plain.example", true)]
    [InlineData("doubleclick.net", false)]
    [InlineData("cdn.example", false)]
    [InlineData("thirdparty.example", false)]
    [InlineData("allowed.example", false)]
    public async Task The_operators_hosts_are_blocked_and_nothing_else(string host, bool blocked)
    {
        await using var proxy = new ForwardProxy();
        var tasks = fixture.Host.Client();
        var marker = Guid.NewGuid().ToString("N");
        var opened = await tasks.SubmitAsync(new JsonObject { ["task"] = null, ["proxy_server"] = proxy.Url }.ToJsonString());
        var session = opened.R["id"]!.GetValue<string>();
        await tasks.ActionAsync(session, "go", "browser_action", "goto", new JsonObject { ["url"] = pages.Url($"/ads?host={host}&m={marker}") });
        Assert.Equal(200, (await tasks.WaitForEventAsync(session, "go", TimeSpan.FromSeconds(60)))["payload"]!["code"]!.GetValue<int>());
        Assert.Equal(!blocked, proxy.Reached($"{host}/pixel.gif?m={marker}"));
        await tasks.CancelAsync(session);
    }

    [Fact]
    public void The_list_reads_hosts_and_adblock_domain_rules_and_counts_what_it_skipped()
    {
        var list = new BlockList(Options.Create(new BrowserOptions { BlockListPath = fixture.ListFile }));
        Assert.Equal(["ads.example", "metrics.example", "plain.example", "tracker.example"], list.Hosts);
        Assert.Equal(4, list.Skipped);
    }
}

/// <summary>The block list's matching, and the lists a start refuses.</summary>
public sealed class BlockListTests
{
    [Theory]
    [InlineData("https://doubleclick.net/x", true)]
    [InlineData("http://stats.g.doubleclick.net:8080/pixel?a=1", true)]
    [InlineData("wss://ads.pubmatic.com/socket", true)]
    [InlineData("https://user@www.google-analytics.com/collect", true)]
    [InlineData("https://DoubleClick.Net./x", true)]
    [InlineData("https://notdoubleclick.net/x", false)]
    [InlineData("https://doubleclick.net.example.com/x", false)]
    [InlineData("https://example.com/?u=doubleclick.net", false)]
    [InlineData("https://example.com/doubleclick.net/", false)]
    [InlineData("data:text/html,doubleclick.net", false)]
    public void The_built_in_list_blocks_listed_hosts_and_their_subdomains_only(string url, bool blocked)
    {
        var list = new BlockList(Options.Create(new BrowserOptions()));
        Assert.Equal(blocked, list.Requests.IsMatch(url));
        Assert.True(list.Hosts.Count >= 50);
        Assert.Equal(0, list.Skipped);
    }

    [Fact]
    public void International_names_are_read_in_their_ascii_form()
    {
        var (hosts, skipped) = BlockList.Parse(["werbung.bücher.example", "not a host", "0.0.0.0", "||"]);
        Assert.Equal(["werbung.xn--bcher-kva.example"], hosts);
        Assert.Equal(3, skipped);
    }

    [Fact]
    public async Task A_block_list_path_that_does_not_exist_stops_the_start_naming_the_setting()
    {
        await using var host = new BuiltHost(new Dictionary<string, string> { ["SessionGrid:Browser:BlockListPath"] = "/nonexistent/hosts.txt" });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.App.StartAsync());
        Assert.Contains("SessionGrid:Browser:BlockListPath", error.Message);
        Assert.Contains("/nonexistent/hosts.txt", error.Message);
    }

    [Fact]
    public async Task A_block_list_without_a_host_stops_the_start()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "! nothing but a comment\nexample.org##.banner\n");
        try
        {
            await using var host = new BuiltHost(new Dictionary<string, string> { ["SessionGrid:Browser:BlockListPath"] = path });
            var error = await Assert.ThrowsAnyAsync<Exception>(() => host.App.StartAsync());
            Assert.Contains("SessionGrid:Browser:BlockListPath", error.ToString());
            Assert.Contains("has no host to block", error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
