using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Recording;

/// <summary>A host that stores a recording's segments every second, and a viewer's browser to play its videos in.</summary>
public sealed class RecordingHost : IAsyncLifetime
{
    public SessionGridHost Host { get; private set; } = null!;
    public ViewerBrowser Viewer { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["SessionGrid:Recording:SegmentSeconds"] = "1" });
        await Viewer.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Viewer.DisposeAsync();
        await Host.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

/// <summary>
/// Recordings end to end on real Chromium and real ffmpeg: a session records its active page (only changes, at most
/// MaxFps a second) into an MP4 (H.264) video that ffprobe reads and a real Chromium plays and seeks in; the Task API's
/// <c>recording_url</c> is null while the task runs and a signed link once it ended (as the SDK's
/// <c>recording_url()</c> asks), <c>""</c> when recording was off; the Browser Session API serves it too, and the
/// Browsing API links it; links refuse tokens that are not theirs; ranges answer 206 and 416.
/// </summary>
public sealed class RecordingTests(RecordingHost fixture, TestPages pages) : IClassFixture<RecordingHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly (int, int, int) Red = (255, 0, 0);
    private static readonly (int, int, int) Green = (0, 128, 0);
    private static readonly (int, int, int) Blue = (0, 0, 255);
    private static readonly (int, int, int) Purple = (128, 0, 128);
    private static readonly (int, int, int) Yellow = (255, 255, 0);

    private readonly TaskApiClient _client = fixture.Host.Client();
    private readonly HttpClient _anonymous = new();

    [Fact]
    public async Task A_session_that_navigates_three_pages_records_a_video_ffprobe_reads_with_every_page_in_it()
    {
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync());
        foreach (var color in (string[])["red", "green", "blue"])
        {
            await ShowAsync(session, color);
        }

        // While the task runs its recording is not ready: null, as the SDK expects until the end.
        Assert.Null((await _client.GetAsync(session.TaskId)).R["recording_url"]);
        await session.SessionActionAsync("close");
        var url = await session.RecordingUrlAsync();
        Assert.StartsWith($"{fixture.Host.BaseUrl}/recordings/{session.TaskId}?t=", url);

        using var video = await _anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType!.MediaType);
        Assert.Contains("bytes", video.Headers.AcceptRanges);
        var bytes = await video.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, video.Content.Headers.ContentLength);
        using var file = TempVideo.Of(bytes);

        Assert.True(await VideoProbe.DurationAsync(file.Path) > 1.5);
        Assert.Equal(("h264", 1280, 800), await VideoProbe.StreamAsync(file.Path));
        Assert.True(await VideoProbe.DistinctFramesAsync(file.Path) >= 3);
        var colors = await VideoProbe.ColorsAsync(file.Path);
        var firstRed = IndexOf(colors, Red);
        var firstGreen = IndexOf(colors, Green);
        var firstBlue = IndexOf(colors, Blue);
        Assert.True(firstRed >= 0 && firstRed < firstGreen && firstGreen < firstBlue, $"red {firstRed}, green {firstGreen}, blue {firstBlue} of {colors.Count} frames");
    }

    [Fact]
    public async Task A_real_chromium_plays_the_video_in_a_video_element_and_seeks_in_it()
    {
        var (_, url) = await RecordedAsync("red", "blue");
        await fixture.Viewer.WithPageAsync(async page =>
        {
            await page.SetContentAsync($"<video id=\"v\" muted preload=\"auto\" src=\"{url}\"></video>");
            await page.WaitForFunctionAsync("() => document.getElementById('v').readyState >= 2", null, new() { Timeout = 30_000 });
            var duration = await page.EvaluateAsync<double>("() => document.getElementById('v').duration");
            Assert.True(duration > 1 && double.IsFinite(duration), $"duration {duration}");
            var seeked = JsonNode.Parse(await page.EvaluateAsync<string>("""
                (to) => new Promise(resolve => {
                  const v = document.getElementById('v');
                  v.addEventListener('seeked', () => resolve(JSON.stringify({ time: v.currentTime, ready: v.readyState })), { once: true });
                  v.currentTime = to;
                })
                """, duration / 2))!;
            Assert.InRange(seeked["time"]!.GetValue<double>(), duration / 2 - 0.5, duration / 2 + 0.5);
            Assert.True(seeked["ready"]!.GetValue<int>() >= 2, $"readyState {seeked["ready"]} after seeking");
        });
    }

    [Fact]
    public async Task Ranges_answer_206_with_the_slice_and_416_past_the_end()
    {
        var (_, url) = await RecordedAsync("green");
        var whole = await _anonymous.GetByteArrayAsync(url);

        using var first = await RangeAsync(url, "bytes=0-99");
        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal($"bytes 0-99/{whole.Length}", first.Content.Headers.ContentRange!.ToString());
        Assert.Equal(100, first.Content.Headers.ContentLength);
        Assert.Equal(whole[..100], await first.Content.ReadAsByteArrayAsync());

        using var tail = await RangeAsync(url, $"bytes={whole.Length - 10}-");
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(whole[^10..], await tail.Content.ReadAsByteArrayAsync());

        using var past = await RangeAsync(url, $"bytes={whole.Length + 5}-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.Equal($"bytes */{whole.Length}", past.Content.Headers.ContentRange!.ToString());
        Assert.Empty(await past.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_link_opens_only_with_its_own_unexpired_recording_token_and_refusals_carry_no_data()
    {
        var (taskId, url) = await RecordedAsync("blue");
        var (_, otherUrl) = await RecordedAsync("red");
        var token = Token(url);
        var path = new Uri(url).GetLeftPart(UriPartial.Path);
        var links = fixture.Host.Services.GetRequiredService<ArtifactLinks>();
        var expired = links.Token(taskId, ArtifactLinkKinds.Recording, DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds());
        var downloadsToken = links.Token(taskId, ArtifactLinkKinds.Downloads);
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var cases = new (string Url, HttpStatusCode Status)[]
        {
            (path, HttpStatusCode.Forbidden),
            (path + "?t=" + Token(otherUrl), HttpStatusCode.Forbidden),
            (path + "?t=" + tampered, HttpStatusCode.Forbidden),
            (path + "?t=" + Uri.EscapeDataString(expired), HttpStatusCode.Forbidden),
            (path + "?t=" + Uri.EscapeDataString(downloadsToken), HttpStatusCode.Forbidden),
            (path + "?t=%00", HttpStatusCode.Forbidden),
            ($"{fixture.Host.BaseUrl}/recordings/task_never?t={token}", HttpStatusCode.Forbidden),
        };
        foreach (var (bad, status) in cases)
        {
            using var refused = await _anonymous.GetAsync(bad);
            Assert.True(status == refused.StatusCode, $"{bad}: {refused.StatusCode}");
            Assert.Equal("application/json", refused.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]);
        }

        // A session that never recorded: its own valid token finds nothing, 404.
        var unrecorded = await SubmitAsync(new JsonObject { ["task"] = null, ["enable_recording"] = false });
        await _client.CancelAsync(unrecorded);
        using var none = await _anonymous.GetAsync($"{fixture.Host.BaseUrl}/recordings/{unrecorded}?t={Uri.EscapeDataString(links.Token(unrecorded, ArtifactLinkKinds.Recording))}");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task With_enable_recording_false_recording_url_is_empty_once_finished_and_the_sdk_reports_404()
    {
        var id = await SubmitAsync(new JsonObject { ["task"] = null, ["url"] = pages.Url("/rec/color/red"), ["enable_recording"] = false });
        var session = new SdkStyleSession(_client, id);
        await session.ActionAsync("wait", new JsonObject { ["selector"] = "#ready" });
        Assert.Null((await _client.GetAsync(id)).R["recording_url"]);
        await session.SessionActionAsync("close");

        var error = await Assert.ThrowsAsync<SdkApiException>(() => session.RecordingUrlAsync());
        Assert.Equal(404, error.Status);
        var done = await _client.WaitForStatusAsync(id, "done");
        Assert.Equal("", done["recording_url"]!.GetValue<string>());
        var events = (await _client.GetAsync(id)).R["events"]!.AsArray();
        Assert.DoesNotContain(events, e => e!["name"]!.GetValue<string>().StartsWith("recording", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("{}")]
    public async Task Enable_recording_that_is_not_a_boolean_is_a_400_and_creates_nothing(string value)
    {
        var before = (await _client.ListAsync("?l=128")).R.AsArray().Count;
        var response = await _client.SubmitAsync($$"""{"task": null, "enable_recording": {{value}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("enable_recording", response.Detail);
        Assert.Equal(before, (await _client.ListAsync("?l=128")).R.AsArray().Count);
    }

    [Fact]
    public async Task The_recording_follows_a_new_tab_the_page_opens()
    {
        var id = await SubmitAsync(new JsonObject { ["task"] = null, ["url"] = pages.Url("/rec/tab") });
        var session = new SdkStyleSession(_client, id);
        await session.ActionAsync("wait", new JsonObject { ["selector"] = "#ready" });
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#open" });
        // The session's own page stays the opener; the new tab's colour is on screen until its mark shows: the recording shows it.
        await session.ActionAsync("evaluate_js", new JsonObject
        {
            ["js"] = "new Promise(done => { const check = () => window.tab?.document.getElementById('ready') ? done(true) : setTimeout(check, 50); check(); })",
        });
        await session.SessionActionAsync("close");
        using var file = TempVideo.Of(await _anonymous.GetByteArrayAsync(await session.RecordingUrlAsync()));
        var colors = await VideoProbe.ColorsAsync(file.Path);
        var yellow = IndexOf(colors, Yellow);
        var purple = IndexOf(colors, Purple);
        Assert.True(yellow >= 0 && purple > yellow, $"yellow {yellow}, purple {purple} of {colors.Count} frames: {string.Join(" ", colors.Distinct())}");
    }

    [Fact]
    public async Task The_browser_session_api_records_when_asked_and_serves_the_video_once_the_session_closed()
    {
        var sessions = fixture.Host.SessionClient();
        var id = await sessions.OpenAsync(new JsonObject { ["recording"] = true });
        var ran = await sessions.TaskAsync(id, new JsonObject { ["url"] = pages.Url("/rec/color/green"), ["actions"] = new JsonArray(new JsonObject { ["type"] = "wait", ["selector"] = "#ready" }) });
        Assert.Equal(HttpStatusCode.Created, ran.Status);

        var recording = $"/api/v1/browser/sessions/{id}/recording";
        var active = await sessions.SendAsync(HttpMethod.Get, recording, (string?)null);
        Assert.Equal(HttpStatusCode.Conflict, active.Status);
        Assert.Null((await sessions.GetAsync(id)).Json["recordingUrl"]);
        Assert.Equal(HttpStatusCode.OK, (await sessions.DeleteAsync(id)).Status);

        var served = await Eventually.Until(async () =>
        {
            var answer = await sessions.SendAsync(HttpMethod.Get, recording, (string?)null);
            Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{answer.Status}: {answer.Detail}");
            return answer.Status == HttpStatusCode.OK ? answer : null;
        }, Patience, "the video to be finished");
        Assert.Equal("video/mp4", served.ContentType);
        using (var file = TempVideo.Of(served.Bytes))
        {
            Assert.Contains(await VideoProbe.ColorsAsync(file.Path), c => VideoProbe.Near(c, Green));
        }

        var link = (await sessions.GetAsync(id)).Json["recordingUrl"]!.GetValue<string>();
        Assert.Equal(served.Bytes, await _anonymous.GetByteArrayAsync(link));

        // Without recording: true nothing is recorded (404); another key's session is a 404 too.
        var plain = await sessions.OpenAsync();
        await sessions.DeleteAsync(plain);
        Assert.Equal(HttpStatusCode.NotFound, (await sessions.SendAsync(HttpMethod.Get, $"/api/v1/browser/sessions/{plain}/recording", (string?)null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Host.SessionClient(TestKeys.B).SendAsync(HttpMethod.Get, recording, (string?)null)).Status);
    }

    [Fact]
    public async Task The_browsing_api_status_links_the_recording_of_its_task()
    {
        var browsing = fixture.Host.BrowsingClient();
        var submitted = await browsing.SyncAsync(new JsonObject
        {
            ["template"] = "actions",
            ["task"] = new JsonArray(
                new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/rec/color/blue") },
                new JsonObject { ["type"] = "wait", ["selector"] = "#ready" }).ToJsonString(),
        });
        Assert.True(submitted.Status == HttpStatusCode.OK, submitted.Body?.ToJsonString());
        Assert.Equal("completed", submitted.Body!["status"]!.GetValue<string>());
        var taskId = submitted.Body["task_id"]!.GetValue<string>();
        var link = await Eventually.Until(async () =>
            (await browsing.StatusAsync(taskId)).Body!["recording"]?.GetValue<string>(), Patience, "the recording link");
        using var file = TempVideo.Of(await _anonymous.GetByteArrayAsync(link));
        Assert.Contains(await VideoProbe.ColorsAsync(file.Path), c => VideoProbe.Near(c, Blue));
    }

    /// <summary>A finished Task API session that showed <paramref name="colors"/> in turn, and its recording's link.</summary>
    private async Task<(string TaskId, string Url)> RecordedAsync(params string[] colors)
    {
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync());
        foreach (var color in colors)
        {
            await ShowAsync(session, color);
        }

        await session.SessionActionAsync("close");
        return (session.TaskId, await session.RecordingUrlAsync());
    }

    /// <summary>Shows a colour page and waits for its mark: the colour was on screen for half a second.</summary>
    private async Task ShowAsync(SdkStyleSession session, string color)
    {
        await session.ActionAsync("goto", new JsonObject { ["url"] = pages.Url($"/rec/color/{color}") });
        await session.ActionAsync("wait", new JsonObject { ["selector"] = "#ready" });
    }

    private async Task<string> SubmitAsync(JsonObject body)
    {
        var response = await _client.SubmitAsync(body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.R["id"]!.GetValue<string>();
    }

    private Task<HttpResponseMessage> RangeAsync(string url, string range)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = RangeHeaderValue.Parse(range);
        return _anonymous.SendAsync(request);
    }

    private static int IndexOf(IReadOnlyList<(int R, int G, int B)> colors, (int, int, int) expected)
    {
        for (var i = 0; i < colors.Count; i++)
        {
            if (VideoProbe.Near(colors[i], expected))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Token(string url) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["t"]!;
}
