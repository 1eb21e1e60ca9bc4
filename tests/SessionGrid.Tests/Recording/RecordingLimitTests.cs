using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Recording;

/// <summary>
/// Recordings at their limits, each on a host of its own: the length and size caps stop recording with a
/// <c>recording_truncated</c> event while the session goes on; retention sweeps a recording and downloads alike; a node
/// without ffmpeg starts, says once that recording is off, and answers recording requests with <c>""</c> and a
/// <c>recording_unavailable</c> event, never a 5xx.
/// </summary>
public sealed class RecordingLimitTests(TestPages pages)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly HttpClient _anonymous = new();

    [Fact]
    public async Task At_max_seconds_recording_stops_with_an_event_and_the_session_goes_on()
    {
        await using var host = await HostAsync(new() { ["SessionGrid:Recording:MaxSeconds"] = "2", ["SessionGrid:Recording:SegmentSeconds"] = "1" });
        var client = host.Client();
        var session = new SdkStyleSession(client, await client.OpenSessionAsync(pages.Url("/rec/busy")));
        var truncated = await NoticeAsync(client, session.TaskId, "recording_truncated");
        Assert.Equal("max_seconds", truncated["reason"]!.GetValue<string>());
        Assert.Contains("MaxSeconds", truncated["detail"]!.GetValue<string>());

        // The session still works after the recording stopped.
        var title = await session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "document.title" });
        Assert.Equal("Busy", title!["output"]!.GetValue<string>());
        await session.SessionActionAsync("close");
        using var file = TempVideo.Of(await _anonymous.GetByteArrayAsync(await session.RecordingUrlAsync()));
        Assert.InRange(await VideoProbe.DurationAsync(file.Path), 0.5, 2.1);
        Assert.True(await VideoProbe.DistinctFramesAsync(file.Path) >= 3);
    }

    [Fact]
    public async Task At_max_bytes_the_segment_that_would_pass_it_is_not_kept_and_recording_stops()
    {
        await using var host = await HostAsync(new() { ["SessionGrid:Recording:MaxBytes"] = "1", ["SessionGrid:Recording:SegmentSeconds"] = "1" });
        var client = host.Client();
        var session = new SdkStyleSession(client, await client.OpenSessionAsync(pages.Url("/rec/busy")));
        var truncated = await NoticeAsync(client, session.TaskId, "recording_truncated");
        Assert.Equal("max_bytes", truncated["reason"]!.GetValue<string>());
        await session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "1 + 1" });
        await session.SessionActionAsync("close");

        // Nothing fit: there is no recording, and the SDK says so.
        var error = await Assert.ThrowsAsync<SdkApiException>(() => session.RecordingUrlAsync());
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Retention_sweeps_the_recording_and_the_downloads_and_the_task_then_offers_neither()
    {
        // Kept 18 seconds, swept every second.
        await using var host = await HostAsync(new() { ["SessionGrid:Recording:RetentionHours"] = "0.005", ["SessionGrid:Files:SweepIntervalSeconds"] = "1" });
        var client = host.Client();
        var session = new SdkStyleSession(client, await client.OpenSessionAsync(DownloadPages.Page(pages, "/dl/file/kept.txt?size=500")));
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link0" });
        await NoticeAsync(client, session.TaskId, "download");
        await session.SessionActionAsync("close");

        var recording = await session.RecordingUrlAsync();
        var downloads = await session.DownloadsUrlAsync();
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(recording)).StatusCode);
        using (var zip = new ZipArchive(new MemoryStream(await _anonymous.GetByteArrayAsync(downloads))))
        {
            Assert.Equal(["kept.txt"], zip.Entries.Select(e => e.FullName));
        }

        await Eventually.Until(async () =>
            (await _anonymous.GetAsync(recording)).StatusCode == HttpStatusCode.NotFound
            && (await _anonymous.GetAsync(downloads)).StatusCode == HttpStatusCode.NotFound ? "swept" : null, Patience, "the artifacts to be swept");
        var store = host.Services.GetRequiredService<IArtifactStore>();
        Assert.Empty(await store.ListAsync(SessionArtifacts.RecordingScope(session.TaskId), CancellationToken.None));
        Assert.Empty(await store.ListAsync(SessionArtifacts.DownloadsScope(session.TaskId), CancellationToken.None));

        var task = await client.SendAsync(HttpMethod.Get, $"/api/v1/task/{session.TaskId}?downloads=true", null);
        Assert.Equal("", task.R["recording_url"]!.GetValue<string>());
        Assert.Equal("", task.R["downloads_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_ffmpeg_the_host_starts_says_so_once_and_answers_recording_requests_with_empty_urls()
    {
        var log = new LogCapture();
        await using var host = await HostAsync(new() { ["SessionGrid:Recording:FfmpegPath"] = "/nonexistent/ffmpeg", ["Logging:LogLevel:Default"] = "Warning" }, log);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(host.BaseUrl + "/health/ready")).StatusCode);
        var client = host.Client();

        var first = new SdkStyleSession(client, await client.OpenSessionAsync(pages.Url("/rec/color/red")));
        var unavailable = await NoticeAsync(client, first.TaskId, "recording_unavailable");
        Assert.Contains("ffmpeg", unavailable["reason"]!.GetValue<string>());
        await first.SessionActionAsync("close");
        var error = await Assert.ThrowsAsync<SdkApiException>(() => first.RecordingUrlAsync());
        Assert.Equal(404, error.Status);

        var second = await client.OpenSessionAsync(pages.Url("/rec/color/red"));
        await NoticeAsync(client, second, "recording_unavailable");
        await client.CancelAsync(second);
        Assert.Equal(1, Occurrences(log.Text, "Warning SessionGrid.Grains.Recording.Recordings["));
        Assert.Contains("Session recording is off on this node: ffmpeg was not found (/nonexistent/ffmpeg)", log.Text);

        // The recording's link (with a valid token) and the Browser Session API's route answer 404, never a 5xx.
        var token = host.Services.GetRequiredService<ArtifactLinks>().Token(first.TaskId, ArtifactLinkKinds.Recording);
        Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.GetAsync($"{host.BaseUrl}/recordings/{first.TaskId}?t={Uri.EscapeDataString(token)}")).StatusCode);
        var sessions = host.SessionClient();
        var recorded = await sessions.OpenAsync(new JsonObject { ["recording"] = true });
        await sessions.DeleteAsync(recorded);
        Assert.Equal(HttpStatusCode.NotFound, (await sessions.SendAsync(HttpMethod.Get, $"/api/v1/browser/sessions/{recorded}/recording", (string?)null)).Status);
    }

    [Fact]
    public async Task With_format_webm_the_video_is_vp8_in_webm_and_a_real_chromium_plays_it()
    {
        await using var host = await HostAsync(new() { ["SessionGrid:Recording:Format"] = "webm" });
        var client = host.Client();
        var session = new SdkStyleSession(client, await client.OpenSessionAsync(pages.Url("/rec/color/red")));
        await session.ActionAsync("wait", new JsonObject { ["selector"] = "#ready" });
        await session.SessionActionAsync("close");
        var url = await session.RecordingUrlAsync();
        using var response = await _anonymous.GetAsync(url);
        Assert.Equal("video/webm", response.Content.Headers.ContentType!.MediaType);
        using (var file = TempVideo.Of(await response.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(("vp8", 1280, 800), await VideoProbe.StreamAsync(file.Path));
            Assert.True(await VideoProbe.DurationAsync(file.Path) > 0.4);
        }

        await using var viewer = new ViewerBrowser();
        await viewer.InitializeAsync();
        await viewer.WithPageAsync(async page =>
        {
            await page.SetContentAsync($"<video id=\"v\" muted preload=\"auto\" src=\"{url}\"></video>");
            await page.WaitForFunctionAsync("() => document.getElementById('v').readyState >= 2 && document.getElementById('v').duration > 0", null, new() { Timeout = 30_000 });
        });
    }

    private static async Task<OwnHost> HostAsync(Dictionary<string, string> settings, TextWriter? log = null) =>
        new(await SessionGridHost.StartAsync(settings: settings, console: log));

    private static async Task<JsonNode> NoticeAsync(TaskApiClient client, string taskId, string name) =>
        (await client.WaitForNoticeAsync(taskId, name, Patience))["payload"]!;

    private static int Occurrences(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    /// <summary>A host of the test's own, stopped and its data folder deleted at the end.</summary>
    private sealed class OwnHost(SessionGridHost host) : IAsyncDisposable
    {
        public string BaseUrl => host.BaseUrl;
        public IServiceProvider Services => host.Services;
        public TaskApiClient Client() => host.Client();
        public BrowserSessionClient SessionClient() => host.SessionClient();

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            Directory.Delete(host.DataDir, recursive: true);
        }
    }
}
