using Microsoft.Extensions.Options;
using SessionGrid.Grains.Actions;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// The URL policy's two faces agree: <see cref="UrlPolicy.Refusal"/> (the engine's navigations) and
/// <see cref="UrlPolicy.RefusedRequests"/> (the routes on every browser context), for the built-in
/// refusals, the operator's deny and allow lists, and the forms a browser writes hosts in.
/// </summary>
public sealed class UrlPolicyTests
{
    private static readonly UrlPolicy Default = Policy();

    [Theory]
    [InlineData("file:///etc/passwd", "the file: scheme is not allowed")]
    [InlineData("chrome://settings", "the chrome: scheme is not allowed")]
    [InlineData("view-source:https://example.com/", "the view-source: scheme is not allowed")]
    [InlineData("javascript:alert(1)", "the javascript: scheme is not allowed")]
    [InlineData("about:config", "the about: scheme is not allowed")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "requests to 169.254.169.254 are not allowed")]
    [InlineData("http://169.254.3.4:8080/", "requests to 169.254.3.4 are not allowed")]
    [InlineData("http://2852039166/", "requests to 169.254.169.254 are not allowed")]
    [InlineData("http://0xA9FEA9FE/", "requests to 169.254.169.254 are not allowed")]
    [InlineData("http://[fd00:ec2::254]/latest/", "requests to [fd00:ec2::254] are not allowed")]
    [InlineData("http://[FD00:EC2:0:0::254]:80/", "requests to [fd00:ec2::254] are not allowed")]
    [InlineData("http://[fe80::1]/", "requests to [fe80::1] are not allowed")]
    [InlineData("http://[::ffff:169.254.169.254]/", "are not allowed")]
    [InlineData("http://100.100.100.200/", "requests to 100.100.100.200 are not allowed")]
    [InlineData("http://Metadata.Google.Internal./computeMetadata/v1/", "requests to metadata.google.internal are not allowed")]
    public void Built_in_refusals_name_the_scheme_or_host(string url, string expected)
    {
        Assert.Contains(expected, Default.Refusal(url));
        Assert.StartsWith("url_refused: ", Default.Refusal(url));
    }

    [Theory]
    [InlineData("https://example.com/")]
    [InlineData("http://169.255.0.1/")]
    [InlineData("http://169.254.example.com/")]
    [InlineData("http://[2001:db8::1]:8080/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("data:text/html,<h1>hi</h1>")]
    [InlineData("about:blank")]
    public void Everything_else_is_allowed_by_default(string url) => Assert.Null(Default.Refusal(url));

    [Theory]
    [InlineData("http://169.254.169.254/latest/")]
    [InlineData("https://169.254.0.1:8443/x")]
    [InlineData("ws://169.254.169.254/")]
    [InlineData("wss://169.254.169.254:443/socket")]
    [InlineData("http://user:secret@169.254.169.254/")]
    [InlineData("http://169.254.169.254")]
    [InlineData("http://169.254.169.254?x=1")]
    [InlineData("http://[fd00:ec2::254]/latest/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[fe80::1]:80/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    public void Routes_refuse_the_requests_a_browser_writes_for_denied_hosts(string url) =>
        Assert.Matches(Default.RefusedRequests, url);

    [Theory]
    [InlineData("https://example.com/")]
    [InlineData("http://169.254.example.com/")]
    [InlineData("https://example.com/?next=http://169.254.169.254/")]
    [InlineData("https://example.com/169.254.169.254/")]
    [InlineData("http://metadata.google.internal.example.com/")]
    [InlineData("data:text/html,http://169.254.169.254/")]
    [InlineData("blob:https://example.com/1234")]
    public void Routes_let_other_requests_through(string url) => Assert.DoesNotMatch(Default.RefusedRequests, url);

    [Theory]
    [InlineData("http://10.1.2.3/", true)]
    [InlineData("http://11.1.2.3/", false)]
    [InlineData("http://172.16.0.1/", true)]
    [InlineData("http://172.31.255.255/", true)]
    [InlineData("http://172.32.0.1/", false)]
    [InlineData("http://192.168.7.9:81/", true)]
    [InlineData("https://api.internal.example/", true)]
    [InlineData("https://a.b.internal.example/", true)]
    [InlineData("https://internal.example/", false)]
    [InlineData("https://xn--bcher-kva.example/", true)]
    [InlineData("https://shop.example/", true)]
    [InlineData("https://shop.example.org/", false)]
    public void Operators_deny_names_wildcards_addresses_and_ranges(string url, bool refused)
    {
        var policy = Policy(deny: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "*.internal.example", "bücher.example", "SHOP.example."]);
        AssertBothRefuse(policy, url, refused);
        if (refused)
        {
            Assert.Contains("are not allowed", policy.Refusal(url));
        }
    }

    [Theory]
    [InlineData("https://example.com/", false)]
    [InlineData("https://docs.example.com/a", false)]
    [InlineData("https://example.org/", true)]
    [InlineData("http://127.0.0.1:5000/", false)]
    [InlineData("http://127.0.0.2/", true)]
    [InlineData("http://169.254.169.254/", true)]
    public void An_allow_list_admits_only_its_hosts_and_the_deny_list_still_applies(string url, bool refused)
    {
        var policy = Policy(allow: ["example.com", "*.example.com", "127.0.0.1", "169.254.169.254"]);
        AssertBothRefuse(policy, url, refused);
        AssertBothRefuse(policy, "data:text/plain,hi", refused: false);
        if (url.Contains("example.org", StringComparison.Ordinal))
        {
            Assert.Contains("is not one of the hosts this SessionGrid may open (SessionGrid:UrlPolicy:AllowHosts)", policy.Refusal(url));
        }
    }

    [Fact]
    public void Chromiums_resolver_rules_make_every_denied_host_unresolvable()
    {
        var rules = Default.HostResolverRules.Split(", ");
        Assert.Contains("MAP 169.254.* ~NOTFOUND", rules);
        Assert.Contains("MAP fd00:ec2::254 ~NOTFOUND", rules);
        Assert.Contains("MAP fe8*:* ~NOTFOUND", rules);
        Assert.Contains("MAP ::ffff:* ~NOTFOUND", rules);
        Assert.Contains("MAP metadata.google.internal ~NOTFOUND", rules);
        Assert.DoesNotContain(rules, r => r.StartsWith("EXCLUDE", StringComparison.Ordinal) || r == "MAP * ~NOTFOUND");

        var ranges = Policy(deny: ["10.0.0.0/8", "172.16.0.0/12", "192.168.1.4/30", "*.internal.example", "bücher.example"]).HostResolverRules.Split(", ");
        Assert.Contains("MAP 10.* ~NOTFOUND", ranges);
        Assert.Equal(Enumerable.Range(16, 16).Select(n => $"MAP 172.{n}.* ~NOTFOUND"), ranges.Where(r => r.StartsWith("MAP 172.", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(4, 4).Select(n => $"MAP 192.168.1.{n} ~NOTFOUND"), ranges.Where(r => r.StartsWith("MAP 192.", StringComparison.Ordinal)));
        Assert.Contains("MAP *.internal.example ~NOTFOUND", ranges);
        Assert.Contains("MAP xn--bcher-kva.example ~NOTFOUND", ranges);

        // An allow list: nothing else resolves; a listed host that is also denied stays denied.
        var allowed = Policy(allow: ["example.com", "*.example.com", "127.0.0.1", "169.254.169.254"]).HostResolverRules.Split(", ");
        Assert.Contains("MAP * ~NOTFOUND", allowed);
        Assert.Equal(["EXCLUDE example.com", "EXCLUDE *.example.com", "EXCLUDE 127.0.0.1"], allowed.Where(r => r.StartsWith("EXCLUDE", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("fd00::/8")]
    [InlineData("not a host")]
    [InlineData("http://example.com/")]
    public void A_list_entry_that_is_not_a_host_stops_the_start_with_the_setting_named(string entry)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Policy(deny: [entry]));
        Assert.Contains("SessionGrid:UrlPolicy:DenyHosts", error.Message);
        Assert.Contains(entry, error.Message);
    }

    /// <summary>The engine's check and the browser's routes agree on <paramref name="url"/>.</summary>
    private static void AssertBothRefuse(UrlPolicy policy, string url, bool refused)
    {
        Assert.Equal(refused, policy.Refusal(url) is not null);
        Assert.Equal(refused, policy.RefusedRequests.IsMatch(url));
    }

    private static UrlPolicy Policy(string[]? deny = null, string[]? allow = null) =>
        new(Options.Create(new UrlPolicyOptions { DenyHosts = deny ?? [], AllowHosts = allow ?? [] }));
}
