using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Recording;

/// <summary>
/// Recordings and the real executable: a host that stops stores its sessions' videos first, served after its restart;
/// a killed host's recording is served up to its last stored segment by the host that comes after it.
/// </summary>
public sealed class RecordingProcessTests(TestPages pages)
{
    private static readonly Dictionary<string, string> EverySecond = new() { ["SessionGrid:Recording:SegmentSeconds"] = "1" };
    private static readonly (int, int, int) Red = (255, 0, 0);
    private readonly HttpClient _anonymous = new();

    [Fact]
    public async Task A_recording_survives_a_restart_of_its_host_and_is_served_afterwards()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-rec-").FullName;
        string id;
        await using (var first = await SiloProcess.StartAsync(dataDir, EverySecond))
        {
            var client = first.Client();
            id = await client.OpenSessionAsync(pages.Url("/rec/color/red"));
            await new SdkStyleSession(client, id).ActionAsync("wait", new JsonObject { ["selector"] = "#ready" });
            await first.StopAsync(kill: false);
        }

        await using var second = await SiloProcess.StartAsync(dataDir, EverySecond);
        var task = await second.Client().GetAsync(id);
        Assert.Equal("failed", task.R["status"]!.GetValue<string>());
        Assert.Contains("host_stopping", task.R["output"]!.GetValue<string>());
        var url = task.R["recording_url"]!.GetValue<string>();
        Assert.StartsWith($"{second.BaseUrl}/recordings/{id}?t=", url);
        await AssertRedVideoAsync(url);
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task A_killed_host_s_recording_is_served_up_to_its_last_stored_segment()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-rec-").FullName;
        string id;
        await using (var first = await SiloProcess.StartAsync(dataDir, EverySecond))
        {
            var client = first.Client();
            id = await client.OpenSessionAsync(pages.Url("/rec/color/red"));
            var session = new SdkStyleSession(client, id);
            await session.ActionAsync("wait", new JsonObject { ["selector"] = "#ready" });
            await session.ActionAsync("goto", new JsonObject { ["url"] = pages.Url("/rec/busy") });

            // Segments of the red page are stored (the store is the data folder's SQLite file) before the host dies.
            var store = new SqlArtifactStore(SqliteStore.DataSource(SqliteStore.ConnectionString(dataDir)), TimeProvider.System);
            await Eventually.Until(async () =>
                (await store.ListAsync(SessionArtifacts.RecordingScope(id), CancellationToken.None)).Count >= 2 ? "stored" : null,
                TimeSpan.FromSeconds(60), "two segments to be stored");
            await first.StopAsync(kill: true);
        }

        await using var second = await SiloProcess.StartAsync(dataDir, EverySecond);
        var task = await second.Client().GetAsync(id);
        Assert.Equal("failed", task.R["status"]!.GetValue<string>());
        Assert.Contains("session_lost", task.R["output"]!.GetValue<string>());
        await AssertRedVideoAsync(task.R["recording_url"]!.GetValue<string>());

        // Joined once: the finished video is what every later read gets.
        var again = await second.Client().GetAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(again.R["recording_url"]!.GetValue<string>())).StatusCode);
        Directory.Delete(dataDir, recursive: true);
    }

    private async Task AssertRedVideoAsync(string url)
    {
        using var response = await _anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var file = TempVideo.Of(await response.Content.ReadAsByteArrayAsync());
        Assert.True(await VideoProbe.DurationAsync(file.Path) > 0.4);
        Assert.Contains(await VideoProbe.ColorsAsync(file.Path), c => VideoProbe.Near(c, Red));
    }
}
