using System.Net;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// A Task API session driven exactly as the official Smooth SDKs drive one (read from their task handles, written
/// anew): a command is an event with a result, sent and then awaited on a shared poller; connecting reads the task
/// once; the poller sleeps its interval only after an answer without events while the task runs or waits, sends
/// <c>event_t</c> of the last event it saw, stops at the first answer whose status is finished and ignores that
/// answer's events (the commands still pending are then cancelled, as Python's futures are); <c>tool_call</c> events
/// run the client's tool beside the poller, and the tool's return value goes back as a <c>tool_call</c> event.
/// The poller is cancelled when its last waiting command is done (as Python's is). Without <see cref="Stagger"/> it
/// skips the SDKs' random start delay.
/// </summary>
public sealed class SdkStyleSession(TaskApiClient client, string taskId)
{
    private static readonly HashSet<string> Live = ["running", "waiting"];
    private readonly Dictionary<string, TaskCompletionSource<JsonNode?>> _pending = [];
    private readonly Dictionary<string, Func<SdkStyleSession, JsonObject, Task<JsonNode?>>> _tools = [];
    private readonly Lock _gate = new();
    private JsonNode? _current;
    private long _lastEventT;
    private int _alive;
    private CancellationTokenSource? _poller;

    public string TaskId => taskId;

    /// <summary>The SDKs' poll interval (1 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the poller starts after a random delay of up to one interval, as both SDKs' do.</summary>
    public bool Stagger { get; init; }

    /// <summary>How many GETs the poller sent.</summary>
    public int Polls { get; private set; }

    /// <summary>
    /// How many times the poller slept its interval (after an answer without events while the task ran) while a command
    /// waited for its result: each is up to a second the command's caller waited for nothing.
    /// </summary>
    public int Sleeps { get; private set; }

    /// <summary>The last answer the poller read (<c>r</c>).</summary>
    public JsonNode? Current => _current;

    /// <summary>The timestamp of the last event the poller saw (its next <c>event_t</c>).</summary>
    public long LastEventT => _lastEventT;

    /// <summary>A tool the agent may call: its handler gets this session (to drive the browser) and the call's input.</summary>
    public SdkStyleSession WithTool(string name, Func<SdkStyleSession, JsonObject, Task<JsonNode?>> handler)
    {
        _tools[name] = handler;
        return this;
    }

    /// <summary><c>browser_action</c> (goto, evaluate_js, extract, ...) with a result.</summary>
    public Task<JsonNode?> ActionAsync(string name, JsonObject? input) => SendAsync("browser_action", name, input);

    /// <summary><c>session_action</c> (run_task, close) with a result.</summary>
    public Task<JsonNode?> SessionActionAsync(string name, JsonObject? input = null) => SendAsync("session_action", name, input);

    /// <summary>
    /// Sends one event and waits for its result as the SDKs do: 200 gives the output, 400 throws
    /// <see cref="SdkToolCallException"/>, 500 <see cref="InvalidOperationException"/>; a poller that stopped at a
    /// finished status first cancels it (<see cref="TaskCanceledException"/>).
    /// </summary>
    public async Task<JsonNode?> SendAsync(string channel, string name, JsonObject? input)
    {
        var id = "sdk_" + Guid.NewGuid().ToString("N")[..12];
        var result = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending[id] = result;
        }

        var payload = new JsonObject { ["name"] = name };
        if (input is not null)
        {
            payload["input"] = input;
        }

        var sent = await client.EventAsync(taskId, new JsonObject { ["id"] = id, ["name"] = channel, ["payload"] = payload }.ToJsonString());
        if (sent.Status != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"{name}: {(int)sent.Status} {sent.Detail}", null, sent.Status);
        }

        await ConnectAsync();
        try
        {
            return await result.Task;
        }
        finally
        {
            Disconnect();
        }
    }

    /// <summary>
    /// <c>task.recording_url()</c> as the Python SDK runs it: the last answer's <c>recording_url</c> when it is not null
    /// (even ""); else, once the task finished, <c>GET /task/{id}</c> every 0.8 s until it is not null ("" is the SDK's 404
    /// "Set enable_recording=True", <see cref="SdkApiException"/>); while the task runs, its reads until either happens.
    /// </summary>
    public async Task<string> RecordingUrlAsync(TimeSpan? timeout = null)
    {
        if (_current?["recording_url"] is JsonValue given)
        {
            return given.GetValue<string>();
        }

        return await PollUrlAsync("recording_url", "", "Recording URL not available. Set `enable_recording=True` when creating the task to enable it.", timeout);
    }

    /// <summary>
    /// <c>task.downloads_url()</c> as the Python SDK runs it: the last answer's <c>downloads_url</c> when it is not null;
    /// else, once the task finished, <c>GET /task/{id}?downloads=true</c> every 0.8 s until it is not null ("" is the
    /// SDK's 404 "Make sure the task downloaded files", <see cref="SdkApiException"/>).
    /// </summary>
    public async Task<string> DownloadsUrlAsync(TimeSpan? timeout = null)
    {
        if (_current?["downloads_url"] is JsonValue given)
        {
            return given.GetValue<string>();
        }

        return await PollUrlAsync("downloads_url", "?downloads=true", "Downloads URL not available. Make sure the task downloaded files during its execution.", timeout);
    }

    private async Task<string> PollUrlAsync(string field, string query, string unavailable, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_current is null || Live.Contains(Status(_current)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{field} not available for task {taskId} while it is still running.");
            }

            _current = (await GetAsync()).R;
            if (field == "recording_url" && _current[field] is JsonValue early)
            {
                return early.GetValue<string>() is { Length: > 0 } url ? url : throw new SdkApiException(404, unavailable);
            }

            if (Live.Contains(Status(_current)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }

        while (DateTime.UtcNow <= deadline)
        {
            var answer = await client.SendAsync(HttpMethod.Get, $"/api/v1/task/{taskId}{query}", null);
            if (answer.R[field] is JsonValue value)
            {
                return value.GetValue<string>() is { Length: > 0 } url ? url : throw new SdkApiException(404, unavailable);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(800));
        }

        throw new TimeoutException($"{field} not available for task {taskId}.");
    }

    private async Task ConnectAsync()
    {
        if (Interlocked.Increment(ref _alive) != 1)
        {
            return;
        }

        _current = (await GetAsync()).R;
        if (Stagger)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * PollInterval.TotalMilliseconds));
        }

        var poller = new CancellationTokenSource();
        Interlocked.Exchange(ref _poller, poller)?.Cancel();
        _ = Task.Run(() => PollAsync(poller.Token));
    }

    private void Disconnect()
    {
        if (Interlocked.Decrement(ref _alive) == 0)
        {
            Interlocked.Exchange(ref _poller, null)?.Cancel();
        }
    }

    private async Task PollAsync(CancellationToken cancelled)
    {
        try
        {
            while (Volatile.Read(ref _alive) > 0 && !cancelled.IsCancellationRequested)
            {
                if (_current is null || (_current["events"]?.AsArray() is not { Count: > 0 } && Live.Contains(Status(_current))))
                {
                    lock (_gate)
                    {
                        Sleeps += _pending.Count > 0 ? 1 : 0;
                    }

                    await Task.Delay(PollInterval, cancelled);
                }

                if (Volatile.Read(ref _alive) <= 0)
                {
                    break;
                }

                var answer = (await GetAsync()).R;
                if (cancelled.IsCancellationRequested)
                {
                    break;
                }

                Polls++;
                _current = answer;
                if (!Live.Contains(Status(answer)))
                {
                    CancelPending();
                    break;
                }

                if (answer["events"]?.AsArray() is { Count: > 0 } events)
                {
                    _lastEventT = events[^1]!["timestamp"]!.GetValue<long>();
                    foreach (var taskEvent in events)
                    {
                        Process(taskEvent!);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            // Its last command is done: this poller stops, as the SDKs' does.
        }
        catch (Exception ex)
        {
            FailPending(ex);
        }
    }

    private void Process(JsonNode taskEvent)
    {
        if (taskEvent["id"]?.GetValue<string>() is not { } id)
        {
            return;
        }

        var name = taskEvent["name"]!.GetValue<string>();
        var payload = taskEvent["payload"];
        if (name == "tool_call" && payload?["name"]?.GetValue<string>() is { } tool && _tools.TryGetValue(tool, out var handler))
        {
            _ = Task.Run(() => RunToolAsync(id, handler, payload["input"] as JsonObject ?? []));
            return;
        }

        if (name is not ("browser_action" or "session_action"))
        {
            return;
        }

        TaskCompletionSource<JsonNode?>? result;
        lock (_gate)
        {
            _pending.Remove(id, out result);
        }

        var output = payload?["output"]?.DeepClone();
        switch (payload?["code"]?.GetValue<int>())
        {
            case 200:
                result?.TrySetResult(output);
                break;
            case 400:
                result?.TrySetException(new SdkToolCallException(output?.ToString() ?? "Unknown error."));
                break;
            case 500:
                result?.TrySetException(new InvalidOperationException(output?.ToString() ?? "Unknown error."));
                break;
        }
    }

    private async Task RunToolAsync(string id, Func<SdkStyleSession, JsonObject, Task<JsonNode?>> handler, JsonObject input)
    {
        JsonObject answer;
        try
        {
            answer = new JsonObject { ["code"] = 200, ["output"] = await handler(this, input) };
        }
        catch (Exception ex)
        {
            answer = new JsonObject { ["code"] = ex is SdkToolCallException ? 400 : 500, ["output"] = ex.Message };
        }

        await client.EventAsync(taskId, new JsonObject { ["id"] = id, ["name"] = "tool_call", ["payload"] = answer }.ToJsonString());
    }

    private async Task<TaskApiClient.Response> GetAsync()
    {
        var response = await client.GetAsync(taskId, _lastEventT);
        return response.Status is HttpStatusCode.OK or HttpStatusCode.Accepted
            ? response
            : throw new HttpRequestException($"GET task: {(int)response.Status} {response.Detail}", null, response.Status);
    }

    private void CancelPending()
    {
        foreach (var result in TakePending())
        {
            result.TrySetCanceled();
        }
    }

    private void FailPending(Exception ex)
    {
        foreach (var result in TakePending())
        {
            result.TrySetException(ex);
        }
    }

    private List<TaskCompletionSource<JsonNode?>> TakePending()
    {
        lock (_gate)
        {
            var all = _pending.Values.ToList();
            _pending.Clear();
            return all;
        }
    }

    private static string Status(JsonNode answer) => answer["status"]!.GetValue<string>();
}

/// <summary>The SDKs' <c>ApiError</c>: what they raise when a URL they ask for is "" (not available).</summary>
public sealed class SdkApiException(int status, string detail) : Exception($"{status}: {detail}")
{
    public int Status => status;
}

/// <summary>A command's 400 result as the SDKs raise it (their <c>ToolCallError</c>).</summary>
public sealed class SdkToolCallException(string message) : Exception(message);
