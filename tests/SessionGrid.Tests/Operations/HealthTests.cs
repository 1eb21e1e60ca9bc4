using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// The probes over real HTTP, without an API key: live, ready and startup on a working host; ready 503 (and live and
/// startup still 200) on hosts whose Chromium is missing or exits at launch.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class HealthTests(SharedHost shared)
{
    [Fact]
    public async Task A_working_host_is_live_ready_and_started_and_names_its_checks()
    {
        using var http = new HttpClient { BaseAddress = new Uri(shared.Host.BaseUrl) };

        var live = await ProbeAsync(http, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal("Healthy", live.Body["status"]!.GetValue<string>());
        Assert.Empty(live.Body["checks"]!.AsObject());

        var ready = await ProbeAsync(http, "/health/ready");
        Assert.True(ready.Status == HttpStatusCode.OK, ready.Body.ToJsonString());
        Assert.Equal(["browser", "silo", "storage"], ready.Body["checks"]!.AsObject().Select(c => c.Key).Order());
        Assert.All(ready.Body["checks"]!.AsObject(), c => Assert.Equal("Healthy", c.Value!["status"]!.GetValue<string>()));

        var startup = await ProbeAsync(http, "/health/startup");
        Assert.Equal(HttpStatusCode.OK, startup.Status);
        Assert.Equal(["silo"], startup.Body["checks"]!.AsObject().Select(c => c.Key));
    }

    [Fact]
    public async Task Ready_fails_while_the_configured_Chromium_does_not_exist()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-chromium-{Guid.NewGuid():N}");
        await AssertNotReadyAsync(missing, "Chromium was not found");
    }

    [Fact]
    public async Task Ready_fails_while_the_configured_Chromium_exits_at_launch()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-chromium-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(broken, "#!/bin/sh\necho 'this is not a browser' >&2\nexit 1\n");
        File.SetUnixFileMode(broken, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await AssertNotReadyAsync(broken, "failed to start");
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static async Task AssertNotReadyAsync(string executable, string reason)
    {
        var settings = new Dictionary<string, string>
        {
            ["SessionGrid:Browser:ExecutablePath"] = executable,
            ["SessionGrid:Browser:LaunchTimeoutSeconds"] = "20",
        };
        var host = await SessionGridHost.StartAsync(settings: settings);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
            var ready = await ProbeAsync(http, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
            Assert.Equal("Unhealthy", ready.Body["status"]!.GetValue<string>());
            var browser = ready.Body["checks"]!["browser"]!;
            Assert.Equal("Unhealthy", browser["status"]!.GetValue<string>());
            Assert.Contains(reason, browser["description"]!.GetValue<string>());
            Assert.Equal("Healthy", ready.Body["checks"]!["silo"]!["status"]!.GetValue<string>());
            Assert.Equal("Healthy", ready.Body["checks"]!["storage"]!["status"]!.GetValue<string>());

            // Asked again, it still fails (from the remembered failure, or a new launch that fails the same way).
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ProbeAsync(http, "/health/ready")).Status);
            Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(http, "/health/live")).Status);
            Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(http, "/health/startup")).Status);
            Assert.Equal(0, host.Browsers.ProcessCount);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(host.DataDir, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> ProbeAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
