using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Artifacts;

/// <summary>
/// The replay page: a session's video beside its events on a timeline, each at its time in the video (an action at its
/// start, a notice when it came), clickable to seek there; the event the video has reached is marked as it plays.
/// Self-contained (inline style and script, system fonts, the video from this server by the same signed link), and
/// the events are data to it, never markup: it shows each action's name and whether it worked (with the error),
/// each agent step's tool and URL, and the engine's notices, never an action's output. Its state is in
/// <c>window.replay</c> (<c>events</c>, <c>current</c>: the index of the marked event).
/// </summary>
public static class ReplayPage
{
    /// <summary>Only the page's own inline code and style, and the video from this server.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private const int MaxDetail = 200;

    public static string Render(TaskSnapshot task, string token)
    {
        var session = WebUtility.HtmlEncode(task.Id);
        var startedAt = task.Recording?.StartedAt ?? task.CreatedAt;
        var duration = (task.Recording?.DurationMs ?? 0) / 1000.0;
        var events = new JsonArray([.. task.Events.Select(e => (JsonNode)Describe(e, startedAt))]);
        var video = $"../recordings/{Uri.EscapeDataString(task.Id)}?t={Uri.EscapeDataString(token)}";
        var summary = WebUtility.HtmlEncode(string.Create(CultureInfo.InvariantCulture,
            $"{task.Phase.ToString().ToLowerInvariant()} · recorded {DateTimeOffset.FromUnixTimeMilliseconds(startedAt):yyyy-MM-dd HH:mm:ss} UTC · {duration:0.0} s · {task.Events.Count} events"));
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>Replay · {{session}}</title>
            <style>
              html, body { margin: 0; height: 100%; background: #15171a; color: #d8dadd; font: 14px system-ui, sans-serif; }
              body { display: flex; flex-direction: column; }
              header { display: flex; gap: 16px; align-items: baseline; padding: 8px 14px; background: #23262b; border-bottom: 1px solid #33363b; }
              header .id { font-family: ui-monospace, monospace; opacity: .7; }
              header .summary { margin-left: auto; opacity: .8; }
              main { flex: 1; min-height: 0; display: flex; }
              #stage { flex: 1; min-width: 0; display: flex; align-items: center; justify-content: center; padding: 12px; background: #000; }
              video { max-width: 100%; max-height: 100%; }
              aside { width: 380px; display: flex; flex-direction: column; border-left: 1px solid #33363b; background: #1b1d21; }
              aside h2 { margin: 0; padding: 10px 14px; font-size: 13px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; opacity: .7; }
              ol { list-style: none; margin: 0; padding: 0 0 12px; overflow-y: auto; flex: 1; }
              li button { display: grid; grid-template-columns: 64px 1fr; gap: 2px 10px; width: 100%; padding: 7px 14px; border: 0;
                border-left: 3px solid transparent; background: none; color: inherit; font: inherit; text-align: left; cursor: pointer; }
              li button:hover { background: #262a30; }
              li button.current { background: #2d3440; border-left-color: #5aa0ff; }
              li button.after { opacity: .45; }
              .time { font-family: ui-monospace, monospace; color: #8fb8ff; grid-row: span 2; }
              .name { font-weight: 600; }
              .name.failed { color: #ff8a80; }
              .name.failed::after { content: " ✗"; }
              .detail { font-size: 12px; opacity: .75; overflow-wrap: anywhere; }
              .detail:empty { display: none; }
            </style>
            </head>
            <body>
            <header><strong>SessionGrid replay</strong><span class="id">{{session}}</span><span class="summary">{{summary}}</span></header>
            <main>
              <div id="stage"><video id="video" controls preload="auto" src="{{WebUtility.HtmlEncode(video)}}"></video></div>
              <aside><h2>Events</h2><ol id="timeline"></ol></aside>
            </main>
            <script type="application/json" id="events">{{events.ToJsonString(JsonOptions)}}</script>
            <script>
            (() => {
              const events = JSON.parse(document.getElementById('events').textContent);
              const video = document.getElementById('video');
              const timeline = document.getElementById('timeline');
              const state = window.replay = { events, current: -1 };
              const clock = t => {
                const s = Math.max(0, t);
                return `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
              };
              const buttons = events.map((e, i) => {
                const item = document.createElement('li');
                const button = document.createElement('button');
                button.type = 'button';
                button.dataset.index = i;
                button.dataset.t = e.t;
                button.dataset.name = e.name;
                if (e.id) button.dataset.id = e.id;
                const time = document.createElement('span');
                time.className = 'time';
                time.textContent = clock(e.t);
                const name = document.createElement('span');
                name.className = 'name' + (e.ok === false ? ' failed' : '');
                name.textContent = e.label;
                const detail = document.createElement('span');
                detail.className = 'detail';
                detail.textContent = e.detail || '';
                button.append(time, name, detail);
                button.addEventListener('click', () => {
                  video.pause();
                  video.currentTime = Math.min(Math.max(0, e.t), isFinite(video.duration) ? video.duration : Math.max(0, e.t));
                  mark(i);
                });
                item.append(button);
                timeline.append(item);
                return button;
              });
              function mark(index) {
                if (index === state.current) return;
                buttons[state.current]?.classList.remove('current');
                state.current = index;
                buttons[index]?.classList.add('current');
                buttons[index]?.scrollIntoView({ block: 'nearest' });
              }
              video.addEventListener('timeupdate', () => {
                let index = -1;
                events.forEach((e, i) => { if (e.t <= video.currentTime + 0.05) index = i; });
                if (!video.paused) mark(index);
              });
              video.addEventListener('loadedmetadata', () =>
                events.forEach((e, i) => buttons[i].classList.toggle('after', e.t > video.duration + 0.5)));
            })();
            </script>
            </body>
            </html>
            """;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// One event on the timeline: its time in the video (seconds from the first frame; an action's start), name, label,
    /// a short detail and whether it worked; never an action's output.
    /// </summary>
    private static JsonObject Describe(TaskEvent e, long startedAt)
    {
        var item = new JsonObject { ["id"] = e.Id, ["name"] = e.Name };
        if (e.Result is { } result)
        {
            item["t"] = Seconds(e.Timestamp - (long)result.DurationMs - startedAt);
            item["label"] = result.Action;
            item["ok"] = result.Ok;
            item["detail"] = result.Ok
                ? string.Create(CultureInfo.InvariantCulture, $"{e.Name} · {result.DurationMs / 1000.0:0.00} s")
                : Shorten(result.Error);
            return item;
        }

        var data = e.Data is { } json ? JsonNode.Parse(json) as JsonObject : null;
        item["t"] = Seconds(e.Timestamp - startedAt);
        item["label"] = e.Name;
        item["ok"] = data?["ok"] is JsonValue ok && ok.GetValueKind() == JsonValueKind.False ? false : null;
        item["detail"] = Shorten(e.Name switch
        {
            "agent_step" => $"step {Text(data, "step")}: {Text(data, "tool")} · {Text(data, "url")}{(Text(data, "error") is { Length: > 0 } error ? " · " + error : "")}",
            "download" => $"{Text(data, "name")} ({Text(data, "size")} bytes)",
            "download_refused" or "download_failed" => $"{Text(data, "name")}: {Text(data, "reason") ?? Text(data, "error")}",
            _ => Text(data, "reason") ?? Text(data, "url") ?? Text(data, "name"),
        });
        return item;
    }

    private static string? Text(JsonObject? data, string name) => data?[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => other.ToJsonString(),
    };

    private static double Seconds(long ms) => Math.Round(ms / 1000.0, 3);

    private static string? Shorten(string? text) => text is null ? null : text.Length <= MaxDetail ? text : text[..MaxDetail] + "…";
}
