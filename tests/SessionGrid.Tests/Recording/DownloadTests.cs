using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.Recording;

/// <summary>A host with small download limits (100 kB a file, 150 kB a session) whose agent talks to a scripted model.</summary>
public sealed class DownloadsHost : IAsyncLifetime
{
    public const int MaxBytes = 100_000;
    public const int MaxSessionBytes = 150_000;

    public ScriptedModel Model { get; private set; } = null!;
    public SessionGridHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Model = await ScriptedModel.StartAsync();
        var settings = Model.Settings();
        settings["SessionGrid:Downloads:MaxBytes"] = MaxBytes.ToString();
        settings["SessionGrid:Downloads:MaxSessionBytes"] = MaxSessionBytes.ToString();
        Host = await SessionGridHost.StartAsync(settings: settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Model.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
    }
}

/// <summary>
/// Downloads end to end on real Chromium: what a page downloads is kept as the session's files and announced by a
/// <c>download</c> event; the Task API's <c>downloads_url</c> (as the SDK asks for it) is a ZIP of them; the Browser
/// Session API lists and serves them; limits cancel a download with a <c>download_refused</c> event; hostile names are
/// kept under safe ones; signed links refuse tokens that are not theirs; the agent is told what landed.
/// </summary>
public sealed class DownloadTests(DownloadsHost fixture, TestPages pages) : IClassFixture<DownloadsHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TaskApiClient _client = fixture.Host.Client();
    private readonly HttpClient _anonymous = new();

    [Fact]
    public async Task A_page_that_downloads_two_files_yields_a_zip_with_both_byte_for_byte_through_the_sdk_s_downloads_url()
    {
        var page = DownloadPages.Page(pages, "/dl/file/report.csv?size=1000", "/dl/file/data.bin?size=60000");
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(page));
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link0" });
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link1" });

        var landed = await NoticesAsync(session.TaskId, "download", 2);
        var byName = landed.ToDictionary(e => e["name"]!.GetValue<string>());
        Assert.Equal(["data.bin", "report.csv"], byName.Keys.Order());
        Assert.Equal(1000, byName["report.csv"]["size"]!.GetValue<long>());
        Assert.Equal(60000, byName["data.bin"]["size"]!.GetValue<long>());

        // Each event's url opens its file without an API key, as an attachment under its name.
        using var file = await _anonymous.GetAsync(byName["report.csv"]["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(DownloadPages.Content("report.csv", 1000), await file.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("report.csv", file.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("text/csv", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal(1000, file.Content.Headers.ContentLength);
        Assert.Contains("bytes", file.Headers.AcceptRanges);

        // While the session runs, the SDK's downloads_url is not ready (null): it waits for the end.
        var running = await _client.SendAsync(HttpMethod.Get, $"/api/v1/task/{session.TaskId}?downloads=true", null);
        Assert.Null(running.R["downloads_url"]);

        await session.SessionActionAsync("close");
        var zipUrl = await session.DownloadsUrlAsync();
        using var zipResponse = await _anonymous.GetAsync(zipUrl);
        Assert.Equal(HttpStatusCode.OK, zipResponse.StatusCode);
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{session.TaskId}-downloads.zip", zipResponse.Content.Headers.ContentDisposition!.FileNameStar);
        using var zip = new ZipArchive(new MemoryStream(await zipResponse.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["data.bin", "report.csv"], zip.Entries.Select(e => e.FullName).Order());
        Assert.Equal(DownloadPages.Content("report.csv", 1000), Read(zip.GetEntry("report.csv")!));
        Assert.Equal(DownloadPages.Content("data.bin", 60000), Read(zip.GetEntry("data.bin")!));

        // Without downloads=true the answer keeps downloads_url null, as the SDK expects before it asks.
        var plain = await _client.GetAsync(session.TaskId);
        Assert.Null(plain.R["downloads_url"]);
    }

    [Fact]
    public async Task A_task_that_downloaded_nothing_answers_an_empty_downloads_url_which_the_sdk_reports_as_404()
    {
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(pages.Url("/")));
        await session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "1" });
        await session.SessionActionAsync("close");

        var error = await Assert.ThrowsAsync<SdkApiException>(() => session.DownloadsUrlAsync());
        Assert.Equal(404, error.Status);
        var answer = await _client.SendAsync(HttpMethod.Get, $"/api/v1/task/{session.TaskId}?downloads=true", null);
        Assert.Equal("", answer.R["downloads_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_browser_session_api_lists_the_downloads_and_serves_each_with_ranges()
    {
        var sessions = fixture.Host.SessionClient();
        var other = fixture.Host.SessionClient(TestKeys.B);
        var id = await sessions.OpenAsync();
        var page = DownloadPages.Page(pages, "/dl/file/table.csv?size=4000");
        var ran = await sessions.ActionAsync(id, new JsonObject { ["type"] = "click", ["selector"] = "#link0" }, page);
        Assert.Equal(HttpStatusCode.Created, ran.Status);

        var listed = await Eventually.Until(async () =>
        {
            var list = await sessions.SendAsync(HttpMethod.Get, $"/api/v1/browser/sessions/{id}/downloads", (string?)null);
            Assert.Equal(HttpStatusCode.OK, list.Status);
            return list.Json["downloads"]!.AsArray() is { Count: 1 } files ? files[0] : null;
        }, Patience, "the download to be listed");
        Assert.Equal("table.csv", listed!["name"]!.GetValue<string>());
        Assert.Equal(4000, listed["size"]!.GetValue<long>());
        Assert.True(DateTimeOffset.Parse(listed["expiresAt"]!.GetValue<string>()) > DateTimeOffset.UtcNow.AddHours(100));
        using (var byLink = await _anonymous.GetAsync(listed["url"]!.GetValue<string>()))
        {
            Assert.Equal(DownloadPages.Content("table.csv", 4000), await byLink.Content.ReadAsByteArrayAsync());
        }

        var expected = DownloadPages.Content("table.csv", 4000);
        var path = $"/api/v1/browser/sessions/{id}/downloads/table.csv";
        var whole = await sessions.SendAsync(HttpMethod.Get, path, (string?)null);
        Assert.Equal(HttpStatusCode.OK, whole.Status);
        Assert.Equal(expected, whole.Bytes);

        var partial = await RangeAsync(sessions, path, "bytes=1000-1999");
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes 1000-1999/4000", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(expected[1000..2000], await partial.Content.ReadAsByteArrayAsync());
        var past = await RangeAsync(sessions, path, "bytes=5000-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.Equal("bytes */4000", past.Content.Headers.ContentRange!.ToString());
        Assert.Empty(await past.Content.ReadAsByteArrayAsync());

        // Unknown files and other keys' sessions are 404 problems; the list and files stay after the session closed.
        Assert.Equal(HttpStatusCode.NotFound, (await sessions.SendAsync(HttpMethod.Get, $"/api/v1/browser/sessions/{id}/downloads/nope.csv", (string?)null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Get, path, (string?)null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Get, $"/api/v1/browser/sessions/{id}/downloads", (string?)null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await sessions.DeleteAsync(id)).Status);
        Assert.Equal(expected, (await sessions.SendAsync(HttpMethod.Get, path, (string?)null)).Bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_download_over_the_per_file_limit_is_cancelled_and_refused(bool chunked)
    {
        var size = DownloadsHost.MaxBytes * 2;
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(
            DownloadPages.Page(pages, $"/dl/file/big.bin?size={size}&chunked={chunked.ToString().ToLowerInvariant()}", "/dl/file/small.txt?size=10")));
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link0" });

        var refused = (await NoticesAsync(session.TaskId, "download_refused", 1))[0];
        Assert.Equal("big.bin", refused["name"]!.GetValue<string>());
        Assert.Contains($"{DownloadsHost.MaxBytes} bytes per file", refused["reason"]!.GetValue<string>());

        // The session goes on and keeps the next file; the big one is nowhere.
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link1" });
        await NoticesAsync(session.TaskId, "download", 1);
        await session.SessionActionAsync("close");
        using var zip = new ZipArchive(new MemoryStream(await _anonymous.GetByteArrayAsync(await session.DownloadsUrlAsync())));
        Assert.Equal(["small.txt"], zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public async Task A_running_download_is_cancelled_when_it_passes_the_limit_and_the_session_s_total_is_capped_too()
    {
        // A slow download announced bigger than the limit is cancelled while it runs, not after it filled the disk.
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(DownloadPages.Page(pages,
            $"/dl/slow?size={DownloadsHost.MaxBytes * 20}", "/dl/file/a.bin?size=60000", "/dl/file/b.bin?size=60000", "/dl/file/c.bin?size=60000")));
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link0" });
        var slow = (await NoticesAsync(session.TaskId, "download_refused", 1))[0];
        Assert.Equal("slow.bin", slow["name"]!.GetValue<string>());

        // Two files of 60 kB fit the session's 150 kB; the third does not.
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link1" });
        await NoticesAsync(session.TaskId, "download", 1);
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link2" });
        await NoticesAsync(session.TaskId, "download", 2);
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link3" });
        var third = (await NoticesAsync(session.TaskId, "download_refused", 2))[1];
        Assert.Equal("c.bin", third["name"]!.GetValue<string>());
        Assert.Contains($"limit of {DownloadsHost.MaxSessionBytes} bytes", third["reason"]!.GetValue<string>());
        await _client.CancelAsync(session.TaskId);
    }

    [Fact]
    public async Task Hostile_file_names_are_kept_under_safe_names_and_served_with_a_safe_content_disposition()
    {
        var longName = new string('x', 500) + ".txt";
        var dispositions = new[]
        {
            "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd",
            "attachment; filename*=UTF-8''evil%00name%0D%0A.txt",
            $"attachment; filename=\"{longName}\"",
        };
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(
            DownloadPages.Page(pages, [.. dispositions.Select(d => "/dl/raw?disposition=" + Uri.EscapeDataString(d))])));
        for (var i = 0; i < dispositions.Length; i++)
        {
            await session.ActionAsync("click", new JsonObject { ["selector"] = $"#link{i}" });
            await NoticesAsync(session.TaskId, "download", i + 1);
        }

        var names = (await NoticesAsync(session.TaskId, "download", 3)).Select(e => e["name"]!.GetValue<string>()).ToList();
        foreach (var name in names)
        {
            Assert.DoesNotContain('/', name);
            Assert.DoesNotContain('\\', name);
            Assert.False(name.StartsWith('.'), name);
            Assert.DoesNotContain(name, char.IsControl);
            Assert.InRange(name.Length, 1, 120);
        }

        Assert.EndsWith(".txt", names[2]);
        foreach (var notice in await NoticesAsync(session.TaskId, "download", 3))
        {
            using var served = await _anonymous.GetAsync(notice["url"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            var disposition = served.Content.Headers.ContentDisposition!;
            Assert.Equal("attachment", disposition.DispositionType);
            Assert.Equal(notice["name"]!.GetValue<string>(), disposition.FileNameStar);
            Assert.Equal("sandbox", served.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal(DownloadPages.Content("raw", 100), await served.Content.ReadAsByteArrayAsync());
        }

        await _client.CancelAsync(session.TaskId);
    }

    [Fact]
    public async Task A_link_opens_only_with_its_own_unexpired_token_and_refusals_carry_no_data()
    {
        var session = new SdkStyleSession(_client, await _client.OpenSessionAsync(DownloadPages.Page(pages, "/dl/file/secret.txt?size=2000")));
        var other = new SdkStyleSession(_client, await _client.OpenSessionAsync(DownloadPages.Page(pages, "/dl/file/other.txt?size=2000")));
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#link0" });
        await other.ActionAsync("click", new JsonObject { ["selector"] = "#link0" });
        var url = new Uri((await NoticesAsync(session.TaskId, "download", 1))[0]["url"]!.GetValue<string>());
        var otherUrl = new Uri((await NoticesAsync(other.TaskId, "download", 1))[0]["url"]!.GetValue<string>());
        var token = Token(url);
        var path = url.GetLeftPart(UriPartial.Path);

        var links = fixture.Host.Services.GetRequiredService<ArtifactLinks>();
        var expired = links.Token(session.TaskId, ArtifactLinkKinds.Downloads, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds());
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");
        var laterExpiry = (long.Parse(token.Split('.')[0]) + 3600) + token[token.IndexOf('.')..];
        var cases = new (string Url, HttpStatusCode Status)[]
        {
            (path, HttpStatusCode.Forbidden),
            (path + "?t=" + Token(otherUrl), HttpStatusCode.Forbidden),
            (path + "?t=" + tampered, HttpStatusCode.Forbidden),
            (path + "?t=" + laterExpiry, HttpStatusCode.Forbidden),
            (path + "?t=" + Uri.EscapeDataString(expired), HttpStatusCode.Forbidden),
            (path + "?t=nonsense", HttpStatusCode.Forbidden),
            (path + "?t=" + new string('1', 500), HttpStatusCode.Forbidden),
            (path.Replace("secret.txt", "missing.txt") + "?t=" + token, HttpStatusCode.NotFound),
            // Another session's token on this session's ZIP, and this session's on a session that does not exist.
            ($"{fixture.Host.BaseUrl}/downloads/{session.TaskId}?t={Token(otherUrl)}", HttpStatusCode.Forbidden),
            ($"{fixture.Host.BaseUrl}/downloads/task_nope/secret.txt?t={token}", HttpStatusCode.Forbidden),
        };
        foreach (var (bad, status) in cases)
        {
            using var refused = await _anonymous.GetAsync(bad);
            Assert.True(status == refused.StatusCode, $"{bad}: {refused.StatusCode}");
            var body = await refused.Content.ReadAsStringAsync();
            Assert.NotNull(JsonNode.Parse(body)!["detail"]);
            Assert.DoesNotContain(Convert.ToBase64String(DownloadPages.Content("secret.txt", 2000))[..20], body);
        }

        using var opened = await _anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(DownloadPages.Content("secret.txt", 2000), await opened.Content.ReadAsByteArrayAsync());
        await _client.CancelAsync(session.TaskId);
        await _client.CancelAsync(other.TaskId);
    }

    [Fact]
    public async Task An_agent_is_told_the_name_of_a_file_its_step_downloaded_in_its_next_observation()
    {
        // The step's download is in the next observation; one that began after the click answered (a loaded machine)
        // waits for the observation after it, and the model sees it there.
        const string note = "Downloaded since the last step: invoice.pdf (3000 bytes)";
        var seen = 0;
        Func<JsonNode, JsonObject> observe = request =>
        {
            if (!Last(request, "user").Contains(note, StringComparison.Ordinal))
            {
                Assert.Equal(0, seen++);
                return ToolCallOf("wait", new JsonObject { ["seconds"] = 0.1 });
            }

            return ToolCallOf("done", new JsonObject { ["output"] = "got it" });
        };
        fixture.Model.Reset();
        fixture.Model.Play(OnElement("click", "file 0"), observe, observe);
        var submitted = await _client.SubmitAsync(new JsonObject
        {
            ["task"] = "Download the invoice",
            ["url"] = DownloadPages.Page(pages, "/dl/file/invoice.pdf?size=3000"),
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        var id = submitted.R["id"]!.GetValue<string>();
        var done = await _client.WaitForStatusAsync(id, "done", Patience);
        Assert.Equal("got it", done["output"]!.GetValue<string>());
        var answer = await _client.SendAsync(HttpMethod.Get, $"/api/v1/task/{id}?downloads=true", null);
        using var zip = new ZipArchive(new MemoryStream(await _anonymous.GetByteArrayAsync(answer.R["downloads_url"]!.GetValue<string>())));
        Assert.Equal(DownloadPages.Content("invoice.pdf", 3000), Read(zip.GetEntry("invoice.pdf")!));
    }

    /// <summary>The data of the first <paramref name="count"/> engine notices named <paramref name="name"/>, once there are that many.</summary>
    private async Task<List<JsonNode>> NoticesAsync(string taskId, string name, int count)
    {
        var found = await Eventually.Until(async () =>
        {
            var events = (await _client.GetAsync(taskId)).R["events"]!.AsArray();
            var matching = events.Where(e => e!["name"]!.GetValue<string>() == name).Select(e => e!["payload"]!).ToList();
            return matching.Count >= count ? matching : null;
        }, Patience, $"{count} {name} events of {taskId}");
        return found[..count];
    }

    private static Task<HttpResponseMessage> RangeAsync(BrowserSessionClient sessions, string path, string range) =>
        sessions.RawAsync(HttpMethod.Get, path, request => request.Headers.Range = RangeHeaderValue.Parse(range));

    private static string Token(Uri url) => System.Web.HttpUtility.ParseQueryString(url.Query)["t"]!;

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static JsonObject ToolCallOf(string tool, JsonObject arguments) => (JsonObject)Call(tool, arguments)(new JsonObject());
}
