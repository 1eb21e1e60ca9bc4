using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Api.Auth;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Placement;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;
using static SessionGrid.Tests.Cdp.CdpSteps;

namespace SessionGrid.Tests.Cdp;

/// <summary>
/// A CDP client reaches a session whose browser runs on another node than the API it connects to: two silos and an
/// API-only process, one cluster on PostgreSQL, each the real executable's host on its own HTTP port. The session is
/// placed on silo B; clients connect through silo A's API and through the API process, which relay to B.
/// </summary>
public sealed class CdpClusterTests(PostgresServer server, TestPages pages) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_client_reaches_a_session_on_another_silo_through_its_relay_from_a_silo_and_from_an_api_process()
    {
        var database = await server.CreateDatabaseAsync();
        await PostgresStore.MigrateAsync(database, CancellationToken.None);
        var vaultKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Dictionary<string, string> Settings(string node, string? role = null) => new()
        {
            ["SessionGrid:Storage"] = "postgres",
            ["SessionGrid:ConnectionString"] = database,
            ["SessionGrid:Vault:Key"] = vaultKey,
            ["SessionGrid:Node:Name"] = node,
            ["role"] = role ?? "silo",
        };

        var hosts = new List<SessionGridHost>();
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            hosts.Add(await SessionGridHost.StartAsync(settings: Settings("cdp-a")));
            hosts.Add(await SessionGridHost.StartAsync(settings: Settings("cdp-b")));
            hosts.Add(await SessionGridHost.StartAsync(settings: Settings("cdp-api", "api")));
            var (a, b, api) = (hosts[0], hosts[1], hosts[2]);

            // A knows B before it places a session there.
            var onB = b.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            await Eventually.Until(() => Task.FromResult(a.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot
                .GetSiloStatus(onB) == SiloStatus.Active ? "active" : null), Patience, "silo A to see silo B");
            var session = "task_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var spec = new SessionSpec(ApiKeyHash.TenantOf(ApiKeyHash.Of(TestKeys.A)), DeviceKind.Desktop, pages.Url("/widgets")) { Isolation = SessionIsolation.Dedicated };
            Assert.True(await OnNode.OpenSessionAsync(a.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(session), spec, onB));
            Assert.Contains(session, b.Browsers.HostedSessions);
            Assert.DoesNotContain(session, a.Browsers.HostedSessions);

            // Through silo A's API, which does not run the browser: A relays to B.
            var clientA = a.Client();
            var cdpUrl = (await clientA.GetAsync(session)).R["cdp_url"]!.GetValue<string>();
            Assert.StartsWith(a.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/cdp/", cdpUrl);
            var throughA = await ConnectAsync(playwright, cdpUrl);
            var page = SessionPage(throughA);
            await CdpSteps.WaitForUrlAsync(page, "/widgets");
            await page.ClickAsync("#counter");
            Assert.Equal("1", (await ProfileSteps.RunAsync(clientA, session, "evaluate_js", new JsonObject { ["js"] = "document.querySelector('#clicks').textContent" })).GetValue<string>());

            // Through the API-only process: it has no browser and no relay of its own, and relays to B as well.
            var viaApi = cdpUrl.Replace(a.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal), api.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal), StringComparison.Ordinal);
            var throughApi = await ConnectAsync(playwright, viaApi);
            Assert.Equal("1", await SessionPage(throughApi).TextContentAsync("#clicks"));

            // A node's relay serves only its own browsers; the API process has none.
            var relayOnA = cdpUrl.Replace("/cdp/", "/cdp-relay/", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await RefusalAsync(relayOnA)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await RefusalAsync(viaApi.Replace("/cdp/", "/cdp-relay/", StringComparison.Ordinal))).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await RefusalAsync(WithToken(viaApi, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))))).Status);

            // The session ends on B: both relayed connections close.
            var droppedA = DisconnectedAsync(throughA);
            var droppedApi = DisconnectedAsync(throughApi);
            await ProfileSteps.CloseAsync(api.Client(), session);
            await Task.WhenAll(droppedA, droppedApi).WaitAsync(Patience);
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await host.DisposeAsync();
                Directory.Delete(host.DataDir, recursive: true);
            }
        }
    }
}
