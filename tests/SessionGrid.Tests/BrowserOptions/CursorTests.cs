using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// <c>show_cursor</c>: the pages draw the pointer where the session's mouse went (an action's click, a live-view user's
/// move), on top of the page and out of the pointer's way; without it, nothing is drawn.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class CursorTests(SharedHost shared, TestPages pages)
{
    private const string Cursor = "(() => { const c = document.querySelector('sessiongrid-cursor'); if (!c) return null; " +
        "const s = getComputedStyle(c); return { x: Number(c.dataset.x), y: Number(c.dataset.y), display: s.display, " +
        "pointerEvents: s.pointerEvents, zIndex: s.zIndex, text: c.textContent }; })()";

    private readonly TaskApiClient _tasks = shared.Host.Client();

    [Fact]
    public async Task The_pointer_is_drawn_where_a_click_and_a_move_put_the_mouse()
    {
        var session = await _tasks.OpenWithAsync(new JsonObject { ["show_cursor"] = true });
        Assert.Equal(200, (await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = pages.Url("/widgets") }))["code"]!.GetValue<int>());
        Assert.Null(await _tasks.EvaluateAsync(session, Cursor));

        Assert.Equal(200, (await _tasks.ActAsync(session, "click", new JsonObject { ["selector"] = "#counter" }))["code"]!.GetValue<int>());
        var center = await _tasks.EvaluateAsync(session, "(() => { const r = document.getElementById('counter').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()");
        var drawn = (await _tasks.EvaluateAsync(session, Cursor))!;
        Assert.InRange(drawn["x"]!.GetValue<double>(), center!["x"]!.GetValue<double>() - 1, center["x"]!.GetValue<double>() + 1);
        Assert.InRange(drawn["y"]!.GetValue<double>(), center["y"]!.GetValue<double>() - 1, center["y"]!.GetValue<double>() + 1);
        Assert.Equal("block", drawn["display"]!.GetValue<string>());
        Assert.Equal("none", drawn["pointerEvents"]!.GetValue<string>());
        Assert.Equal("2147483647", drawn["zIndex"]!.GetValue<string>());
        Assert.Equal("", drawn["text"]!.GetValue<string>());
        Assert.Equal("1", (await _tasks.EvaluateAsync(session, "document.getElementById('clicks').textContent"))!.GetValue<string>());

        Assert.Equal(200, (await _tasks.ActAsync(session, "click", new JsonObject { ["coordinates"] = new JsonObject { ["x"] = 300, ["y"] = 200 } }))["code"]!.GetValue<int>());
        drawn = (await _tasks.EvaluateAsync(session, Cursor))!;
        Assert.Equal(300, drawn["x"]!.GetValue<double>());
        Assert.Equal(200, drawn["y"]!.GetValue<double>());

        // A new page draws it too.
        await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = pages.Url("/second") });
        await _tasks.ActAsync(session, "hover", new JsonObject { ["selector"] = "#second" });
        Assert.NotNull(await _tasks.EvaluateAsync(session, Cursor));
        await _tasks.CancelAsync(session);
    }

    [Fact]
    public async Task A_live_view_users_moves_are_drawn_too()
    {
        var opened = await _tasks.SubmitAsync(new JsonObject { ["task"] = null, ["show_cursor"] = true }.ToJsonString());
        var session = opened.R["id"]!.GetValue<string>();
        await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = pages.Url("/widgets") });

        // The live view's socket, interactive, as a person's browser opens it from live_url.
        var live = new Uri(opened.R["live_url"]!.GetValue<string>());
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{live.Authority}{live.AbsolutePath}/ws{live.Query}&interactive=true"), CancellationToken.None);
        var move = new JsonObject { ["type"] = "mouse", ["action"] = "move", ["x"] = 123, ["y"] = 45 };
        await socket.SendAsync(Encoding.UTF8.GetBytes(move.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

        var drawn = await Eventually.Until(() => _tasks.EvaluateAsync(session, Cursor), TimeSpan.FromSeconds(10), "the drawn cursor");
        Assert.Equal(123, drawn["x"]!.GetValue<double>());
        Assert.Equal(45, drawn["y"]!.GetValue<double>());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await _tasks.CancelAsync(session);
    }

    [Theory]
    [InlineData("false")]
    [InlineData(null)]
    public async Task Without_show_cursor_nothing_is_drawn(string? showCursor)
    {
        var request = new JsonObject();
        if (showCursor is not null)
        {
            request["show_cursor"] = JsonNode.Parse(showCursor);
        }

        var session = await _tasks.OpenWithAsync(request);
        await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = pages.Url("/widgets") });
        await _tasks.ActAsync(session, "click", new JsonObject { ["selector"] = "#counter" });
        Assert.Null(await _tasks.EvaluateAsync(session, Cursor));
        await _tasks.CancelAsync(session);
    }

    [Fact]
    public async Task A_show_cursor_that_is_not_a_boolean_is_a_400()
    {
        var response = await _tasks.SubmitAsync("""{"task": null, "show_cursor": "yes"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("show_cursor", response.Detail);
    }
}
