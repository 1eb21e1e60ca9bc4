using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace SessionGrid.Bench;

/// <summary>
/// f. The connect lifecycle of a dedicated session: open it (<c>cdp_url</c>), Playwright <c>ConnectOverCDPAsync</c>,
/// <c>GotoAsync</c> to a local page (DOMContentLoaded), close the session; beside the same against a raw Chromium's
/// DevTools endpoint and a raw Playwright context.
/// </summary>
public sealed class ConnectLifecycle(BenchHost host, BenchPages pages, IPlaywright playwright, IBrowser raw, string rawCdpEndpoint, int times)
{
    public async Task<JsonObject> MeasureAsync()
    {
        await SessionGridOnceAsync(); // warm-up
        await host.WarmAsync();
        var sequential = new List<Dictionary<string, double>>();
        var failures = 0;
        for (var i = 0; i < times; i++)
        {
            try
            {
                sequential.Add(await SessionGridOnceAsync());
            }
            catch (Exception ex) when (ex is PlaywrightException or InvalidOperationException or TimeoutException)
            {
                failures++;
            }
        }

        // Each batch of ten starts with the dedicated browsers launched ahead (as many as the host keeps) ready.
        var parallel = new List<Dictionary<string, double>>();
        for (var batch = 0; batch < Math.Max(1, times / 10); batch++)
        {
            await host.WarmAsync();
            var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
            {
                try
                {
                    return await SessionGridOnceAsync();
                }
                catch (Exception ex) when (ex is PlaywrightException or InvalidOperationException or TimeoutException)
                {
                    Interlocked.Increment(ref failures);
                    return null;
                }
            }));
            parallel.AddRange(results.OfType<Dictionary<string, double>>());
        }

        var rawCdp = new List<double>();
        var rawContext = new List<double>();
        for (var i = 0; i < times; i++)
        {
            rawCdp.Add(await TimeAsync(async () =>
            {
                var browser = await playwright.Chromium.ConnectOverCDPAsync(rawCdpEndpoint);
                var page = await browser.Contexts[0].NewPageAsync();
                await page.GotoAsync(pages.Page, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
                await page.CloseAsync();
                await browser.CloseAsync();
            }));
            rawContext.Add(await TimeAsync(async () =>
            {
                await using var context = await raw.NewContextAsync();
                var page = await context.NewPageAsync();
                await page.GotoAsync(pages.Page, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            }));
        }

        return new JsonObject
        {
            ["sequential"] = Stages(sequential),
            ["parallel_10"] = Stages(parallel),
            ["failures"] = failures,
            ["raw_chromium_cdp_ms"] = Measurements.Json(Stats.Of(rawCdp)),
            ["raw_playwright_context_ms"] = Measurements.Json(Stats.Of(rawContext)),
        };
    }

    private async Task<Dictionary<string, double>> SessionGridOnceAsync()
    {
        var stages = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var (status, body) = await host.SendAsync(HttpMethod.Post, "/api/v1/task", new JsonObject { ["task"] = null, ["isolation"] = "dedicated" });
        if (status != HttpStatusCode.OK || body?["r"]?["cdp_url"]?.GetValue<string>() is not { } cdpUrl)
        {
            throw new InvalidOperationException($"a dedicated session did not open: {status}");
        }

        var id = body["r"]!["id"]!.GetValue<string>();
        stages["open"] = clock.Elapsed.TotalMilliseconds;
        try
        {
            var browser = await playwright.Chromium.ConnectOverCDPAsync(cdpUrl);
            stages["connect"] = clock.Elapsed.TotalMilliseconds - stages.Values.Sum();
            var page = browser.Contexts[0].Pages.FirstOrDefault() ?? await browser.Contexts[0].NewPageAsync();
            await page.GotoAsync(pages.Page, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            stages["goto"] = clock.Elapsed.TotalMilliseconds - stages.Values.Sum();
        }
        finally
        {
            var before = clock.Elapsed.TotalMilliseconds;
            await host.SendAsync(HttpMethod.Delete, $"/api/v1/task/{id}");
            stages["close"] = clock.Elapsed.TotalMilliseconds - before;
        }

        stages["total"] = clock.Elapsed.TotalMilliseconds;
        return stages;
    }

    private static JsonObject Stages(List<Dictionary<string, double>> runs) =>
        new(new[] { "open", "connect", "goto", "close", "total" }.Select(stage =>
            KeyValuePair.Create(stage, (JsonNode?)Measurements.Json(Stats.Of([.. runs.Where(r => r.ContainsKey(stage)).Select(r => r[stage])])))));

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var started = Stopwatch.GetTimestamp();
        await work();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
