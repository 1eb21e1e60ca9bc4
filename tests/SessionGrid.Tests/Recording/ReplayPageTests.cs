using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Recording;

/// <summary>
/// The replay page in a real headless Chromium: the session's video beside its events, each at its time, the failed
/// one marked; clicking an event seeks the video there (the frame shown is the page as it was then); the page loads
/// nothing from elsewhere; and it opens only with the recording's own token.
/// </summary>
public sealed class ReplayPageTests(RecordingHost fixture, TestPages pages) : IClassFixture<RecordingHost>
{
    private static readonly (int, int, int) Red = (255, 0, 0);
    private static readonly (int, int, int) Blue = (0, 0, 255);

    private readonly TaskApiClient _client = fixture.Host.Client();

    [Fact]
    public async Task The_replay_page_shows_the_events_beside_the_video_and_a_click_seeks_to_the_event()
    {
        var id = await _client.OpenSessionAsync(pages.Url("/rec/color/red"));
        await ActAsync(id, "wait-red", "wait", new JsonObject { ["selector"] = "#ready" });
        await ActAsync(id, "go-blue", "goto", new JsonObject { ["url"] = pages.Url("/rec/color/blue") });
        await ActAsync(id, "wait-blue", "wait", new JsonObject { ["selector"] = "#ready" });
        await ActAsync(id, "title", "evaluate_js", new JsonObject { ["js"] = "document.title" });
        await ActAsync(id, "missing", "click", new JsonObject { ["selector"] = "#nowhere", ["timeoutMs"] = 300 }, ok: false);
        await _client.ActionAsync(id, "bye", "session_action", "close", null);
        var recording = await Eventually.Until(async () =>
            (await _client.GetAsync(id)).R["recording_url"]?.GetValue<string>() is { Length: > 0 } url ? url : null, TimeSpan.FromSeconds(60), "the recording");
        var replay = recording.Replace("/recordings/", "/replay/", StringComparison.Ordinal);

        var requested = new List<string>();
        await fixture.Viewer.WithPageAsync(async page =>
        {
            page.Request += (_, request) => requested.Add(request.Url);
            var response = await page.GotoAsync(replay);
            Assert.Equal(200, response!.Status);
            Assert.Equal("no-store", response.Headers["cache-control"]);
            Assert.Contains("default-src 'none'", response.Headers["content-security-policy"]);
            await page.WaitForFunctionAsync("() => document.getElementById('video').readyState >= 2", null, new() { Timeout = 30_000 });

            // Every action and notice is on the timeline, in order, at its time; the failed click is marked.
            var names = await page.Locator("#timeline button").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.id || b.dataset.name)");
            Assert.Equal(["wait-red", "go-blue", "wait-blue", "title", "missing", "bye", "session_closed"], names.Where(n => n != "recording_truncated"));
            var times = await page.Locator("#timeline button").EvaluateAllAsync<double[]>("buttons => buttons.map(b => parseFloat(b.dataset.t))");
            Assert.Equal(times.Order(), times);
            Assert.Equal(1, await page.Locator("#timeline .name.failed").CountAsync());
            Assert.Contains("click", await page.Locator("button[data-id=missing] .name").TextContentAsync());
            // Never an action's output (the evaluate answered "blue").
            Assert.DoesNotContain("blue", await page.Locator("#timeline").InnerTextAsync());

            // A click seeks the video to the event: after the blue page's mark the frame is blue, before the blue page opened it is red.
            Assert.True(VideoProbe.Near(await FrameAtAsync(page, "title"), Blue));
            Assert.True(VideoProbe.Near(await FrameAtAsync(page, "go-blue"), Red));
            Assert.Equal("go-blue", await page.Locator("#timeline button.current").GetAttributeAsync("data-id"));

            // The picture of the page (for a person to look at) once the video buffered past the frame it shows.
            await page.WaitForFunctionAsync("() => document.getElementById('video').readyState >= 3", null, new() { Timeout = 15_000 });
            var shot = Path.Combine(AppContext.BaseDirectory, "TestResults", "replay-page.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        });

        // Everything the page loaded came from this server: the page and the video.
        Assert.All(requested, url => Assert.StartsWith(fixture.Host.BaseUrl, url));
        Assert.Contains(requested, url => url.Contains("/recordings/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_replay_page_opens_only_with_the_recording_s_token()
    {
        var id = await _client.OpenSessionAsync(pages.Url("/rec/color/red"));
        await ActAsync(id, "wait", "wait", new JsonObject { ["selector"] = "#ready" });
        await _client.ActionAsync(id, "bye", "session_action", "close", null);
        var recording = await Eventually.Until(async () =>
            (await _client.GetAsync(id)).R["recording_url"]?.GetValue<string>() is { Length: > 0 } url ? url : null, TimeSpan.FromSeconds(60), "the recording");
        var replay = new Uri(recording.Replace("/recordings/", "/replay/", StringComparison.Ordinal));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(replay)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(replay.GetLeftPart(UriPartial.Path))).StatusCode);
        var other = replay.ToString().Replace(id, "task_" + new string('0', 24), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(other)).StatusCode);
    }

    /// <summary>Sends an action with its own event id and waits for its result (200, or 400 when <paramref name="ok"/> is false).</summary>
    private async Task ActAsync(string taskId, string eventId, string action, JsonObject input, bool ok = true)
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.ActionAsync(taskId, eventId, "browser_action", action, input)).Status);
        var result = await _client.WaitForEventAsync(taskId, eventId);
        Assert.Equal(ok ? 200 : 400, result["payload"]!["code"]!.GetValue<int>());
    }

    /// <summary>Clicks the event's entry, waits for the video to show that moment, and answers the colour of the frame.</summary>
    private static async Task<(int R, int G, int B)> FrameAtAsync(IPage page, string eventId)
    {
        var entry = page.Locator($"button[data-id='{eventId}']");
        var t = double.Parse((await entry.GetAttributeAsync("data-t"))!, System.Globalization.CultureInfo.InvariantCulture);
        await entry.ClickAsync();
        await page.WaitForFunctionAsync(
            "(t) => { const v = document.getElementById('video'); return !v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - Math.min(Math.max(0, t), v.duration)) < 0.05; }",
            t, new() { Timeout = 15_000 });
        var box = (await page.Locator("#video").BoundingBoxAsync())!;
        var png = await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Clip = new Clip { X = box.X + box.Width * 0.2f, Y = box.Y + box.Height * 0.3f, Width = 40, Height = 40 },
        });
        using var file = TempVideo.Of(png, ".png");
        return (await VideoProbe.ColorsAsync(file.Path)).Single();
    }
}
