using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionGrid.Bench;

/// <summary>
/// A Task API session's commands sent and awaited the way the official Smooth SDKs do it (read from their task handles,
/// Python <c>_interface.py</c> and TypeScript <c>task-handle.ts</c>, and written anew): <c>POST /task/{id}/event</c> with
/// a generated id; then connecting reads the task once (<c>GET /task/{id}?event_t=</c> the last timestamp seen; that
/// answer's events are not looked at); then the poller loops: it sleeps its 1 s interval only when the last answer had
/// no events while the task was running or waiting, reads <c>GET /task/{id}?event_t=</c> the last event's timestamp it
/// saw, stops at a finished status, and settles the command when a <c>browser_action</c>/<c>session_action</c> event
/// carries its id (code 200: its output; 400 or 500: an error).
/// Left out: the SDKs' random start delay of up to one interval before the poller's first read (a connect stagger
/// that adds 0–1 s to every command that connects), and the poll the SDK's poller may still send after the result,
/// before it is cancelled (it changes nothing the caller waits for).
/// </summary>
public sealed class SdkStyleClient(HttpClient http, string taskId)
{
    /// <summary>The SDKs' poll interval.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> Live = ["running", "waiting"];

    public string TaskId => taskId;

    /// <summary>The timestamp of the last event the poller saw: the <c>event_t</c> of its next read.</summary>
    public long LastEventT { get; private set; }

    /// <summary>How many times the poller slept its interval while a command waited.</summary>
    public int Sleeps { get; private set; }

    /// <summary>How many reads (<c>GET /task/{id}</c>) the commands took, connecting included.</summary>
    public int Reads { get; private set; }

    /// <summary><c>evaluate_js</c> with <paramref name="js"/>, as <c>session.evaluate_js(js)</c> sends it; answers the output.</summary>
    public Task<JsonNode?> EvaluateAsync(string js) => CommandAsync("browser_action", "evaluate_js", EvaluateInput(js));

    /// <summary>The input of <c>evaluate_js</c> as the SDKs send it.</summary>
    public static JsonObject EvaluateInput(string js) => new() { ["js"] = js, ["args"] = null };

    /// <summary>Sends one command and waits for its result event as the SDKs do.</summary>
    public async Task<JsonNode?> CommandAsync(string channel, string name, JsonObject input) =>
        await ResultAsync(await SendAsync(channel, name, input), name);

    /// <summary>Sends one command (<c>POST /task/{id}/event</c>) with a generated id; answers the id.</summary>
    public async Task<string> SendAsync(string channel, string name, JsonObject input)
    {
        var id = NewId();
        var sent = new JsonObject { ["name"] = channel, ["payload"] = new JsonObject { ["name"] = name, ["input"] = input }, ["id"] = id };
        using var response = await http.PostAsync($"/api/v1/task/{taskId}/event", new StringContent(sent.ToJsonString(), Encoding.UTF8, "application/json"));
        Measurements.Check(response.StatusCode == HttpStatusCode.OK, $"{name} event answered {response.StatusCode}");
        return id;
    }

    /// <summary>Connects and polls until the result event of command <paramref name="id"/> arrives; answers its output.</summary>
    public async Task<JsonNode?> ResultAsync(string id, string name)
    {
        var current = await ReadAsync(); // connecting
        while (true)
        {
            if (current["events"]?.AsArray() is not { Count: > 0 } && Live.Contains(Status(current)))
            {
                Sleeps++;
                await Task.Delay(PollInterval);
            }

            current = await ReadAsync();
            Measurements.Check(Live.Contains(Status(current)), $"the task ended ({Status(current)}) before {name}'s result");
            if (current["events"]?.AsArray() is not { Count: > 0 } events)
            {
                continue;
            }

            LastEventT = events[^1]!["timestamp"]!.GetValue<long>();
            var result = events.FirstOrDefault(e => e!["id"]?.GetValue<string>() == id && e["name"]?.GetValue<string>() is "browser_action" or "session_action");
            if (result is not null)
            {
                var code = result["payload"]!["code"]!.GetValue<int>();
                Measurements.Check(code == 200, $"{name} answered code {code}: {result["payload"]!["output"]}");
                return result["payload"]!["output"];
            }
        }
    }

    private async Task<JsonNode> ReadAsync()
    {
        Reads++;
        using var response = await http.GetAsync($"/api/v1/task/{taskId}?event_t={LastEventT}");
        Measurements.Check(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"GET task answered {response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["r"]!;
    }

    private static string Status(JsonNode task) => task["status"]!.GetValue<string>();

    /// <summary>An event id like the SDKs' (nanoid's alphabet, 21 characters).</summary>
    private static string NewId() =>
        new(Random.Shared.GetItems("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".AsSpan(), 21));
}
