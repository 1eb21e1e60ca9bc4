using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Api.Cdp;
using static SessionGrid.Api.Cdp.CdpCommandGuard;

namespace SessionGrid.Tests.Cdp;

/// <summary>The CDP command guard on its own: what passes, what is answered in the browser's place, what closes the connection.</summary>
public sealed class CdpCommandGuardTests
{
    private static Verdict Check(string message) => CdpCommandGuard.Check(Encoding.UTF8.GetBytes(message));

    [Theory]
    [InlineData("""{"id":1,"method":"Runtime.evaluate","params":{"expression":"1+1"}}""")]
    [InlineData("""{"id":2,"method":"Page.navigate","params":{"url":"https://example.com/"},"sessionId":"S"}""")]
    [InlineData("""{"id":3,"method":"Target.createTarget","params":{"url":""}}""")]
    [InlineData("""{"id":4,"method":"Target.createTarget","params":{"url":"about:blank"}}""")]
    [InlineData("""{"id":5,"method":"Page.navigate","params":{"url":"data:text/html,<p>hi</p>"}}""")]
    [InlineData("""{"id":6,"method":"Fetch.continueRequest","params":{"requestId":"r"}}""")]
    [InlineData("""{"id":7,"params":{}}""")]
    public void Ordinary_commands_pass_unchanged(string message) => Assert.Equal(Outcome.Forward, Check(message).Outcome);

    [Theory]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":"file:///etc/passwd"}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":" \tFiLe:///etc/passwd"}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":"\u0066ile:///etc/passwd"}}""")]
    [InlineData("""{"id":1,"method":"Page\u002enavigate","params":{"url":"file:///etc/passwd"}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":"chrome://version"}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":"about:version"}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":"javascript:alert(1)"}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":42}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{}}""")]
    [InlineData("""{"id":1,"method":"Target.createTarget","params":{"url":"view-source:https://example.com"}}""")]
    [InlineData("""{"id":1,"method":"Fetch.continueRequest","params":{"requestId":"r","url":"file:///etc/hostname"}}""")]
    public void Urls_outside_the_policy_are_answered_with_an_error_and_not_sent_on(string message)
    {
        var verdict = Check(message);
        Assert.Equal(Outcome.Answer, verdict.Outcome);
        var answer = JsonNode.Parse(verdict.Answer!)!;
        Assert.Equal(1, answer["id"]!.GetValue<int>());
        Assert.Equal("SessionGrid's browsers open only http, https, data: and about:blank URLs", answer["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("DOM.setFileInputFiles")]
    [InlineData("Network.loadNetworkResource")]
    [InlineData("Extensions.loadUnpacked")]
    [InlineData("Target.setRemoteLocations")]
    [InlineData("Target.exposeDevToolsProtocol")]
    [InlineData("Target.sendMessageToTarget")]
    public void Commands_that_reach_the_nodes_files_or_smuggle_commands_are_refused_with_the_sessions_id(string method)
    {
        var verdict = Check($$"""{"id":9,"method":"{{method}}","params":{},"sessionId":"PAGE"}""");
        Assert.Equal(Outcome.Answer, verdict.Outcome);
        var answer = JsonNode.Parse(verdict.Answer!)!;
        Assert.Equal((9, "PAGE"), (answer["id"]!.GetValue<int>(), answer["sessionId"]!.GetValue<string>()));
        Assert.Contains(method, answer["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://127.0.0.1:9222/json/list")]
    [InlineData("http://localhost:9222/json/list")]
    [InlineData("http://[::1]:9222/json/list")]
    [InlineData("http://2130706433:9222/json/list")]
    [InlineData("http://devtools.localhost:9222/")]
    public void A_request_the_client_rewrites_may_not_point_at_the_node(string url)
    {
        var verdict = Check($$$"""{"id":1,"method":"Fetch.continueRequest","params":{"requestId":"r","url":"{{{url}}}"}}""");
        Assert.Equal(Outcome.Answer, verdict.Outcome);
        Assert.Contains("point a request at its node", verdict.Answer);
        Assert.Equal(Outcome.Forward, Check($$$"""{"id":1,"method":"Page.navigate","params":{"url":"{{{url}}}"}}""").Outcome);
    }

    [Fact]
    public void Download_behaviour_is_acknowledged_and_Browser_close_closes_the_session()
    {
        var download = Check("""{"id":3,"method":"Browser.setDownloadBehavior","params":{"behavior":"allow","downloadPath":"/home"}}""");
        Assert.Equal((Outcome.Answer, """{"id":3,"result":{}}"""), (download.Outcome, download.Answer));
        var close = Check("""{"id":4,"method":"Browser.close"}""");
        Assert.Equal((Outcome.CloseSession, """{"id":4,"result":{}}"""), (close.Outcome, close.Answer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("not json")]
    [InlineData("""{"id":1,"method":"Runtime.evaluate"} {"id":2}""")]
    [InlineData("""{"id":1,"method":"Runtime.evaluate","method":"Page.navigate","params":{"url":"file:///"}}""")]
    [InlineData("""{"id":1,"method":"Page.navigate","params":{"url":"https://example.com","url":"file:///"}}""")]
    [InlineData("""{"id":1,"method":{"name":"Page.navigate"}}""")]
    [InlineData("""{"id":1,"method":"Runtime.evaluate",}""")]
    public void What_is_not_one_CDP_command_closes_the_connection(string message) => Assert.Equal(Outcome.Refuse, Check(message).Outcome);
}
