using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.VaultRequests;

namespace SessionGrid.Tests.LiveView;

/// <summary>A host whose session grains log at Debug into the test (the screencast's start and stop), and a viewer's browser.</summary>
public sealed class LiveViewHost : IAsyncLifetime
{
    public LogCapture Log { get; } = new();
    public SessionGridHost Host { get; private set; } = null!;
    public ViewerBrowser Viewer { get; } = new();

    public async ValueTask InitializeAsync()
    {
        // Information for everything: the request log must not carry live-view tokens even then.
        var settings = new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:SessionGrid.Grains.Sessions.SessionGrain"] = "Debug",
        };
        Host = await SessionGridHost.StartAsync(settings: settings, console: Log);
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
/// The live view end to end: a real Chromium (the test's, as a person's browser) opens a session's <c>live_url</c>
/// from a real host, sees the remote page's frames, and drives the remote page through it.
/// </summary>
public sealed partial class LiveViewTests(LiveViewHost live, TestPages pages) : IClassFixture<LiveViewHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TaskApiClient _client = live.Host.Client();

    [Fact]
    public async Task The_live_url_shows_the_remote_page_and_its_frames_follow_the_page_as_it_changes()
    {
        var (session, liveUrl) = await OpenAsync(pages.Url("/color/red"));
        Assert.Matches(LiveUrlPattern(session), liveUrl);

        await live.Viewer.WithPageAsync(async viewer =>
        {
            var page = await viewer.GotoAsync(liveUrl);
            Assert.Equal(200, page!.Status);
            Assert.Equal("no-store", page.Headers["cache-control"]);
            Assert.True(await viewer.Locator("#bar").IsVisibleAsync(), "the page's bar shows when not embedded");
            await WaitForColorAsync(viewer, "red");
            var red = await FrameAsync(viewer);
            Assert.Equal((1280, 800), (red.Width, red.Height));

            // To another site (another renderer process): the screencast goes on.
            await GotoAsync(session, pages.At("/color/blue", "localhost"));
            await WaitForColorAsync(viewer, "blue");
            var blue = await FrameAsync(viewer);
            Assert.True(blue.Seq > red.Seq, $"the frame seq advances ({red.Seq} → {blue.Seq})");
            Assert.NotEqual(red.Jpeg, blue.Jpeg);
            Assert.Equal(new byte[] { 0xFF, 0xD8 }, blue.Jpeg[..2]);
            Assert.Equal("live", await viewer.EvaluateAsync<string>("window.liveView.status"));
        });

        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task The_view_follows_the_sessions_page_when_a_script_closed_it_and_a_new_one_took_its_place()
    {
        var (session, liveUrl) = await OpenAsync(null);
        await live.Viewer.WithPageAsync(async viewer =>
        {
            await viewer.GotoAsync(liveUrl);
            await WaitForFrameAsync(viewer);
            Assert.Equal(1, ScreencastStarts(session));

            // The page (alone in its history, so a script may close it) closes; the next action gets a new one.
            await EvaluateAsync(session, "setTimeout(() => window.close(), 0); 'closing'");
            // The close is the page's own, a moment later: a goto that starts first is cut short by it (500); the next one takes the new page.
            if (!await TryGotoAsync(session, pages.Url("/color/green")))
            {
                await GotoAsync(session, pages.Url("/color/green"));
            }

            await WaitForColorAsync(viewer, "green");
            Assert.Equal(2, ScreencastStarts(session));
        });

        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task The_screencast_runs_only_while_someone_watches()
    {
        var (session, liveUrl) = await OpenAsync(pages.Url("/color/green"));
        Assert.Equal(0, ScreencastStarts(session));

        await live.Viewer.WithPageAsync(async viewer =>
        {
            await viewer.GotoAsync(liveUrl);
            await WaitForColorAsync(viewer, "green");
            Assert.Equal(1, ScreencastStarts(session));
        });

        // Nobody watches: it stops (after about 10 s), and the next viewer starts it again.
        await Eventually.Until(() => Task.FromResult(live.Log.Text.Contains(Stopped(session), StringComparison.Ordinal) ? "stopped" : null), Patience, "the screencast to stop");
        await live.Viewer.WithPageAsync(async viewer =>
        {
            await viewer.GotoAsync(liveUrl);
            await WaitForColorAsync(viewer, "green");
            Assert.Equal(2, ScreencastStarts(session));
        });

        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task A_prompt_user_login_is_completed_by_a_person_typing_through_the_live_view()
    {
        var (session, _) = await OpenAsync(pages.Url("/live/login"));
        var authenticate = new JsonObject
        {
            ["mode"] = "prompt_user",
            ["success"] = new JsonObject { ["condition"] = "selector", ["value"] = "#dashboard" },
            ["pauseTimeoutMs"] = 180_000,
        };
        Assert.Equal(HttpStatusCode.OK, (await _client.ActionAsync(session, "login", "browser_action", "authenticate", authenticate)).Status);

        // The waiting action announces its live view as a task event; its link opens the view interactive.
        var announced = await _client.WaitForNoticeAsync(session, "live_view", Patience);
        var liveUrl = announced["payload"]!["live_url"]!.GetValue<string>();
        Assert.Matches(LiveUrlPattern(session) + "&interactive=true$", liveUrl);

        await live.Viewer.WithPageAsync(async viewer =>
        {
            await viewer.GotoAsync(liveUrl);
            await WaitForFrameAsync(viewer);
            Assert.Equal("Interactive", await viewer.Locator("#mode").TextContentAsync());
            await ClickRemoteAsync(viewer, LiveLogin.Email.CenterX, LiveLogin.Email.CenterY);
            await viewer.Keyboard.TypeAsync("person@example.test");
            await ClickRemoteAsync(viewer, LiveLogin.Password.CenterX, LiveLogin.Password.CenterY);
            await viewer.Keyboard.TypeAsync("hunter2");
            await viewer.Keyboard.PressAsync("Enter");

            var result = await _client.WaitForEventAsync(session, "login", Patience);
            Assert.True(result["payload"]!["code"]!.GetValue<int>() == 200, result.ToJsonString());
            var output = result["payload"]!["output"]!["output"]!;
            Assert.True(output["success"]!.GetValue<bool>());
            Assert.Equal("success", output["reason"]!.GetValue<string>());
            Assert.Equal(liveUrl, output["liveUrl"]!.GetValue<string>());
            Assert.Equal("person@example.test", await EvaluateAsync(session, "document.querySelector('#who').textContent"));
        });

        await _client.CancelAsync(session);
        Assert.DoesNotContain("hunter2", live.Log.Text);
        Assert.DoesNotContain(new Uri(liveUrl).Query.Split('&')[0]["?t=".Length..], live.Log.Text);
    }

    [Fact]
    public async Task Forged_foreign_missing_and_expired_tokens_are_refused_and_never_get_a_frame()
    {
        var (session, liveUrl) = await OpenAsync(pages.Url("/color/red"));
        var (other, otherUrl) = await OpenAsync(pages.Url("/color/blue"));
        var token = TokenOf(liveUrl);
        var forged = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        foreach (var (query, status) in new[]
        {
            ($"t={forged}", HttpStatusCode.Forbidden),
            ($"t={TokenOf(otherUrl)}", HttpStatusCode.Forbidden),
            ("", HttpStatusCode.Forbidden),
            ("t=", HttpStatusCode.Forbidden),
            ($"t={token[..20]}", HttpStatusCode.Forbidden),
            ($"t={token.ToUpperInvariant()}", HttpStatusCode.Forbidden),
        })
        {
            await AssertRefusedAsync(session, query, status);
        }

        await AssertRefusedAsync("task_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), $"t={token}", HttpStatusCode.NotFound);
        var badFlag = await GetAsync($"/live/{session}?t={token}&interactive=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badFlag.Status);
        Assert.Equal("interactive and embed must be true or false", badFlag.Detail);
        var notSocket = await GetAsync($"/live/{session}/ws?t={token}");
        Assert.Equal(HttpStatusCode.BadRequest, notSocket.Status);

        // An open socket learns that its session ended; afterwards the token opens nothing, and live_url is null.
        using var socket = await ConnectAsync(session, $"t={token}");
        await ReceiveFrameAsync(socket);
        Assert.Equal(HttpStatusCode.OK, (await _client.CancelAsync(session)).Status);
        var closed = await ReceiveUntilCloseAsync(socket);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "the session ended"), closed);
        await AssertRefusedAsync(session, $"t={token}", HttpStatusCode.NotFound);
        var ended = await _client.WaitForStatusAsync(session, "cancelled");
        Assert.Null(ended["live_url"]);
        Assert.True(ended.AsObject().ContainsKey("live_url"));

        // The other session is still live, and its own token still opens it.
        using var otherPage = await _client.Http.GetAsync(otherUrl);
        Assert.Equal(HttpStatusCode.OK, otherPage.StatusCode);
        await _client.CancelAsync(other);
    }

    [Fact]
    public async Task Input_reaches_the_page_only_through_a_view_opened_interactive()
    {
        var (session, liveUrl) = await OpenAsync(pages.Url("/live/login"));
        var token = TokenOf(liveUrl);
        var clickEmail = new JsonObject { ["type"] = "mouse", ["action"] = "click", ["x"] = LiveLogin.Email.CenterX, ["y"] = LiveLogin.Email.CenterY };

        // The page opened without interactive=true sends nothing for a click and typing.
        await live.Viewer.WithPageAsync(async viewer =>
        {
            await viewer.GotoAsync(liveUrl);
            await WaitForFrameAsync(viewer);
            Assert.Equal("View only", await viewer.Locator("#mode").TextContentAsync());
            await ClickRemoteAsync(viewer, LiveLogin.Email.CenterX, LiveLogin.Email.CenterY);
            await viewer.Keyboard.TypeAsync("page");
        });

        // A socket opened without interactive=true answers every input message with a refusal and plays none.
        using (var viewOnly = await ConnectAsync(session, $"t={token}"))
        {
            foreach (var message in new[] { clickEmail, Text("socket") })
            {
                await SendAsync(viewOnly, message);
                var refused = await ReceiveJsonAsync(viewOnly, "input_refused");
                Assert.Equal("this live view was opened without interactive=true: input is ignored", refused["detail"]!.GetValue<string>());
            }
        }

        // The same messages through an interactive socket are played; input the page cannot take is refused, with why.
        using var interactive = await ConnectAsync(session, $"t={token}&interactive=true");
        await ReceiveFrameAsync(interactive);
        await SendAsync(interactive, clickEmail);
        await SendAsync(interactive, Text("typed"));
        await SendAsync(interactive, new JsonObject { ["type"] = "key", ["key"] = "NoSuchKey" });
        Assert.Contains("Unknown key", (await ReceiveJsonAsync(interactive, "input_refused"))["detail"]!.GetValue<string>());
        await SendAsync(interactive, new JsonObject { ["type"] = "mouse", ["action"] = "down", ["x"] = -5, ["y"] = 10 });
        Assert.Equal("x and y must be numbers from 0 to 100000", (await ReceiveJsonAsync(interactive, "input_refused"))["detail"]!.GetValue<string>());
        await SendAsync(interactive, new JsonObject { ["type"] = "scroll" });
        Assert.Equal("type must be mouse, wheel, key or text", (await ReceiveJsonAsync(interactive, "input_refused"))["detail"]!.GetValue<string>());

        // Only the interactive socket's text reached the field.
        Assert.Equal("typed", await EvaluateAsync(session, "document.querySelector('#email').value"));
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task Embed_renders_the_view_for_an_iframe_without_the_pages_bar()
    {
        var (session, liveUrl) = await OpenAsync(pages.Url("/color/blue"));
        using var http = new HttpClient();
        using var response = await http.GetAsync(liveUrl + "&embed=true");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.DoesNotContain("frame-ancestors", string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        Assert.DoesNotContain("id=\"bar\"", await response.Content.ReadAsStringAsync());

        await live.Viewer.WithPageAsync(async viewer =>
        {
            await viewer.SetContentAsync($"<iframe id='view' src='{liveUrl}&embed=true' style='width:660px;height:420px;border:0'></iframe>");
            var frame = await Eventually.Until(() => Task.FromResult(viewer.Frames.FirstOrDefault(f => f.Url.Contains("/live/", StringComparison.Ordinal))), Patience, "the framed view");
            await Eventually.Until(async () => IsColor(await frame.EvaluateAsync<int[]?>(CenterPixel), "blue") ? "blue" : null, Patience, "a blue frame in the iframe");
            Assert.Equal(0, await frame.Locator("#bar").CountAsync());
        });

        await _client.CancelAsync(session);
    }

    /// <summary>Opens a Task API session on <paramref name="url"/>; its id and its <c>live_url</c>.</summary>
    private async Task<(string Session, string LiveUrl)> OpenAsync(string? url)
    {
        var session = await _client.OpenSessionAsync(url);
        var task = await _client.GetAsync(session);
        Assert.Equal("running", task.R["status"]!.GetValue<string>());
        return (session, task.R["live_url"]!.GetValue<string>());
    }

    private string LiveUrlPattern(string session) => $"^{Regex.Escape(live.Host.BaseUrl)}/live/{session}\\?t=[0-9a-f]{{64}}";

    private static string TokenOf(string liveUrl) => TokenPattern().Match(liveUrl).Groups[1].Value;

    /// <summary>How often the session's screencast started (on a page), by the host's log.</summary>
    private int ScreencastStarts(string session) =>
        Regex.Matches(live.Log.Text, Regex.Escape($"Session {session}: the live view's screencast started")).Count;

    private static string Stopped(string session) => $"Session {session}: the live view's screencast stopped";

    private async Task GotoAsync(string session, string url) => Assert.True(await TryGotoAsync(session, url), $"goto {url} failed");

    /// <summary>A goto: true when it succeeded, false when the page closed under it; any other failure fails the test.</summary>
    private async Task<bool> TryGotoAsync(string session, string url)
    {
        var id = "goto-" + Guid.NewGuid().ToString("N");
        await _client.ActionAsync(session, id, "browser_action", "goto", new JsonObject { ["url"] = url });
        var result = await _client.WaitForEventAsync(session, id, Patience);
        var code = result["payload"]!["code"]!.GetValue<int>();
        Assert.True(code == 200 || result["payload"]!["output"]!.ToString().Contains("closed while the action ran"), result.ToJsonString());
        return code == 200;
    }

    private async Task<string?> EvaluateAsync(string session, string js)
    {
        var id = "js-" + Guid.NewGuid().ToString("N");
        await _client.ActionAsync(session, id, "browser_action", "evaluate_js", new JsonObject { ["js"] = js });
        var result = await _client.WaitForEventAsync(session, id, Patience);
        return result["payload"]!["output"]!["output"]?.GetValue<string>();
    }

    private Task<TaskApiClient.Response> GetAsync(string pathAndQuery) => _client.SendAsync(HttpMethod.Get, pathAndQuery, null);

    /// <summary>The page and the WebSocket both refuse with <paramref name="status"/> and a detail; the socket is never accepted.</summary>
    private async Task AssertRefusedAsync(string session, string query, HttpStatusCode status)
    {
        var page = await GetAsync($"/live/{session}?{query}");
        Assert.True(page.Status == status, $"{query}: {page.Status} {page.Body?.ToJsonString()}");
        Assert.False(string.IsNullOrEmpty(page.Detail));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(SocketUri(session, query), CancellationToken.None));
        Assert.Equal(status, socket.HttpStatusCode);
    }

    private Uri SocketUri(string session, string query) => new($"{live.Host.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal)}/live/{session}/ws?{query}");

    private async Task<ClientWebSocket> ConnectAsync(string session, string query)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(SocketUri(session, query), CancellationToken.None);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    private static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    /// <summary>The next text message of <paramref name="type"/>, skipping frames.</summary>
    private static async Task<JsonNode> ReceiveJsonAsync(ClientWebSocket socket, string type)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var (kind, bytes) = await ReceiveAsync(socket, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, kind);
            if (kind == WebSocketMessageType.Text && JsonNode.Parse(bytes) is { } json && json["type"]?.GetValue<string>() == type)
            {
                return json;
            }
        }
    }

    /// <summary>The next frame: its JSON description, then its JPEG.</summary>
    private static async Task ReceiveFrameAsync(ClientWebSocket socket)
    {
        var meta = await ReceiveJsonAsync(socket, "frame");
        Assert.True(meta["seq"]!.GetValue<long>() > 0);
        using var timeout = new CancellationTokenSource(Patience);
        var (kind, jpeg) = await ReceiveAsync(socket, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, kind);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);
    }

    private static async Task<(WebSocketCloseStatus?, string?)> ReceiveUntilCloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while ((await ReceiveAsync(socket, timeout.Token)).Kind != WebSocketMessageType.Close)
        {
        }

        return (socket.CloseStatus, socket.CloseStatusDescription);
    }

    private static async Task<(WebSocketMessageType Kind, byte[] Bytes)> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return (received.MessageType, message.ToArray());
    }

    /// <summary>The centre pixel of the frame on show, as [r, g, b]; null before one is shown.</summary>
    private const string CenterPixel = """
        () => {
          const img = document.getElementById('screen');
          if (!img || !img.complete || !img.naturalWidth) return null;
          const canvas = document.createElement('canvas');
          canvas.width = img.naturalWidth;
          canvas.height = img.naturalHeight;
          const g = canvas.getContext('2d');
          g.drawImage(img, 0, 0);
          const d = g.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
          return [d[0], d[1], d[2]];
        }
        """;

    private static bool IsColor(int[]? rgb, string color) => rgb is [var r, var g, var b] && color switch
    {
        "red" => r > 200 && g < 60 && b < 60,
        "green" => r < 60 && g > 100 && b < 60,
        "blue" => r < 60 && g < 60 && b > 200,
        _ => false,
    };

    private static Task WaitForColorAsync(IPage viewer, string color) =>
        Eventually.Until(async () => IsColor(await viewer.EvaluateAsync<int[]?>(CenterPixel), color) ? color : null, Patience, $"a {color} frame");

    private static Task WaitForFrameAsync(IPage viewer) =>
        Eventually.Until(async () => await viewer.EvaluateAsync<int>("window.liveView.frames") > 0 ? "frame" : null, Patience, "the first frame");

    private sealed record Frame(long Seq, int Width, int Height, byte[] Jpeg);

    /// <summary>The frame on show in the viewer: its seq, the remote viewport's size, and its bytes.</summary>
    private static async Task<Frame> FrameAsync(IPage viewer)
    {
        var frame = await viewer.EvaluateAsync<System.Text.Json.JsonElement>("""
            async () => {
              const s = window.liveView;
              const bytes = new Uint8Array(await s.blob.arrayBuffer());
              let binary = '';
              for (const b of bytes) binary += String.fromCharCode(b);
              return { seq: s.seq, width: s.width, height: s.height, jpeg: btoa(binary) };
            }
            """);
        return new Frame(frame.GetProperty("seq").GetInt64(), frame.GetProperty("width").GetInt32(), frame.GetProperty("height").GetInt32(),
            Convert.FromBase64String(frame.GetProperty("jpeg").GetString()!));
    }

    /// <summary>Clicks the viewer's image where it shows the remote page's point (<paramref name="x"/>, <paramref name="y"/>).</summary>
    private static async Task ClickRemoteAsync(IPage viewer, double x, double y)
    {
        var point = await viewer.EvaluateAsync<double[]>("""
            ([x, y]) => {
              const r = document.getElementById('screen').getBoundingClientRect();
              const s = window.liveView;
              return [r.left + x * r.width / s.width, r.top + y * r.height / s.height];
            }
            """, new[] { x, y });
        await viewer.Mouse.ClickAsync((float)point[0], (float)point[1]);
    }

    [GeneratedRegex("[?&]t=([^&]*)")]
    private static partial Regex TokenPattern();
}
