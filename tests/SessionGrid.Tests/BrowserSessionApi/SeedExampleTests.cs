using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserSessionApi;

/// <summary>Seed 000's example request, unchanged apart from the host (and a real email for the obfuscated one), against a login site the tests serve.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class SeedExampleTests(SharedHost shared, TestPages pages)
{
    private readonly BrowserSessionClient _client = shared.Host.SessionClient();

    [Fact]
    public async Task The_seed_login_example_runs_and_returns_the_documented_shape()
    {
        var sessionId = await _client.OpenAsync();
        Assert.True(Guid.TryParseExact(sessionId, "D", out _));

        var response = await _client.TaskAsync(sessionId, $$"""
            {
              "url": "{{pages.Url("/site/")}}",
              "waitUntil": "load",
              "actions": [
                { "type": "click", "selector": "a[href=\"/login\"]" },
                { "type": "type", "selector": "#email", "text": "alice@example.test" },
                { "type": "type", "selector": "#password", "text": "hunter2" },
                { "type": "click", "selector": "button[type=submit]" },
                { "type": "wait", "selector": "#dashboard" }
              ],
              "screenshot": { "fullPage": true },
              "content": true
            }
            """);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        var body = response.Json.AsObject();
        Assert.Equal(["url", "screenshot", "content", "actionResults"], body.Select(p => p.Key));
        Assert.Equal(pages.Url("/login"), body["url"]!.GetValue<string>());
        var png = Convert.FromBase64String(body["screenshot"]!.GetValue<string>());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(pages.Url("/login"), body["content"]!["url"]!.GetValue<string>());
        Assert.Contains("Signed in as <span id=\"who\">alice@example.test</span>", body["content"]!["html"]!.GetValue<string>());

        var results = body["actionResults"]!.AsArray();
        Assert.Equal(5, results.Count);
        Assert.Equal(["click", "type", "type", "click", "wait"], results.Select(r => r!["type"]!.GetValue<string>()));
        Assert.All(results, r => Assert.True(r!["ok"]!.GetValue<bool>()));
        Assert.Equal(18, results[1]!["charactersTyped"]!.GetValue<int>());
        Assert.Equal(7, results[2]!["charactersTyped"]!.GetValue<int>());
        Assert.Equal("""{"type":"click","ok":true}""", results[0]!.ToJsonString());
    }
}
