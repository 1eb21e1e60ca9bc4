using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionGrid.Bench;

/// <summary>
/// A Task API session's commands sent and awaited the way the official Smooth SDKs do it (read from their task handles,
/// Python <c>_interface.py</c> and TypeScript <c>task-handle.ts</c>, and written anew). A command with a result is
/// registered, sent (<c>POST /task/{id}/event</c> with a generated id) and awaited on a shared poller: connecting (the
/// first waiter) reads the task once (<c>GET /task/{id}?event_t=</c> the last timestamp seen; that answer's events are not
/// looked at) and starts the poller, which loops: it sleeps its 1 s interval only when the last answer had no events
/// while the task was running or waiting, reads <c>GET /task/{id}?event_t=</c> the last event's timestamp it saw, stops
/// at a finished status, and settles each command whose id a <c>browser_action</c>/<c>session_action</c> event carries
/// (code 200: its output; 400 or 500: an error). The poller is cancelled (its read in flight with it) when its last
/// waiter is done, unless a connection is held open (<see cref="ConnectAsync"/>, what Python's
/// <c>async with client.session()</c> does for the session's life).
/// Left out: the SDKs' random start delay of up to one interval before the poller starts (a connect stagger that adds
/// 0–1 s to every command that connects).
/// </summary>
public sealed class SdkStyleClient(HttpClient http, string taskId)
{
    /// <summary>The SDKs' poll interval.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> Live = ["running", "waiting"];
    private readonly Dictionary<string, TaskCompletionSource<JsonNode?>> _pending = [];
    private readonly Lock _gate = new();
    private JsonNode? _current;
    private CancellationTokenSource? _poller;
    private int _alive;
    private long _lastEventT;
    private int _sleeps;
    private int _reads;

    public string TaskId => taskId;

    /// <summary>The timestamp of the last event the poller saw: the <c>event_t</c> of its next read.</summary>
    public long LastEventT => Interlocked.Read(ref _lastEventT);

    /// <summary>How many times the poller slept its interval while a command waited for its result.</summary>
    public int Sleeps => Volatile.Read(ref _sleeps);

    /// <summary>How many reads (<c>GET /task/{id}</c>) were sent, connecting included.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary><c>evaluate_js</c> with <paramref name="js"/>, as <c>session.evaluate_js(js)</c> sends it; answers the output.</summary>
    public Task<JsonNode?> EvaluateAsync(string js) => CommandAsync("browser_action", "evaluate_js", EvaluateInput(js));

    /// <summary>The input of <c>evaluate_js</c> as the SDKs send it.</summary>
    public static JsonObject EvaluateInput(string js) => new() { ["js"] = js, ["args"] = null };

    /// <summary>Sends one command and waits for its result event as the SDKs do.</summary>
    public async Task<JsonNode?> CommandAsync(string channel, string name, JsonObject input)
    {
        var id = NewId();
        var result = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending[id] = result;
        }

        await PostAsync(id, channel, name, input);
        await using (await ConnectAsync())
        {
            return await result.Task;
        }
    }

    /// <summary>Sends one command without waiting for its result (the SDKs' <c>has_result=False</c>); answers its id.</summary>
    public async Task<string> SendAsync(string channel, string name, JsonObject input)
    {
        var id = NewId();
        await PostAsync(id, channel, name, input);
        return id;
    }

    /// <summary>Connects (the first connection reads the task and starts the poller); the poller stops when the last connection is disposed.</summary>
    public async Task<IAsyncDisposable> ConnectAsync()
    {
        if (Interlocked.Increment(ref _alive) == 1)
        {
            try
            {
                _current = await ReadAsync(CancellationToken.None);
            }
            catch
            {
                Interlocked.Decrement(ref _alive);
                throw;
            }

            var poller = new CancellationTokenSource();
            lock (_gate)
            {
                _poller = poller;
            }

            _ = Task.Run(() => PollAsync(poller.Token));
        }

        return new Connection(this);
    }

    private void Disconnect()
    {
        if (Interlocked.Decrement(ref _alive) == 0)
        {
            lock (_gate)
            {
                _poller?.Cancel();
                _poller = null;
            }
        }
    }

    private async Task PostAsync(string id, string channel, string name, JsonObject input)
    {
        var sent = new JsonObject { ["name"] = channel, ["payload"] = new JsonObject { ["name"] = name, ["input"] = input }, ["id"] = id };
        using var response = await http.PostAsync($"/api/v1/task/{taskId}/event", new StringContent(sent.ToJsonString(), Encoding.UTF8, "application/json"));
        Measurements.Check(response.StatusCode == HttpStatusCode.OK, $"{name} event answered {response.StatusCode}");
    }

    private async Task PollAsync(CancellationToken cancelled)
    {
        try
        {
            while (!cancelled.IsCancellationRequested)
            {
                if (_current!["events"]?.AsArray() is not { Count: > 0 } && Live.Contains(Status(_current)))
                {
                    lock (_gate)
                    {
                        _sleeps += _pending.Count > 0 ? 1 : 0;
                    }

                    await Task.Delay(PollInterval, cancelled);
                }

                var answer = await ReadAsync(cancelled);
                lock (_gate)
                {
                    if (cancelled.IsCancellationRequested)
                    {
                        return; // a cancelled poller's answer is not looked at, as a cancelled coroutine's is not
                    }

                    _current = answer;
                }

                if (!Live.Contains(Status(answer)))
                {
                    Fail(new InvalidOperationException($"the task ended ({Status(answer)})"));
                    return;
                }

                if (answer["events"]?.AsArray() is { Count: > 0 } events)
                {
                    Interlocked.Exchange(ref _lastEventT, events[^1]!["timestamp"]!.GetValue<long>());
                    foreach (var taskEvent in events)
                    {
                        Settle(taskEvent!);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            // Its last waiter is done: the poller stops, as the SDKs' does.
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Settle(JsonNode taskEvent)
    {
        if (taskEvent["id"]?.GetValue<string>() is not { } id || taskEvent["name"]?.GetValue<string>() is not ("browser_action" or "session_action"))
        {
            return;
        }

        TaskCompletionSource<JsonNode?>? result;
        lock (_gate)
        {
            _pending.Remove(id, out result);
        }

        var code = taskEvent["payload"]?["code"]?.GetValue<int>();
        var output = taskEvent["payload"]?["output"]?.DeepClone();
        if (code == 200)
        {
            result?.TrySetResult(output);
        }
        else if (code is 400 or 500)
        {
            result?.TrySetException(new InvalidOperationException($"the command answered code {code}: {output}"));
        }
    }

    private void Fail(Exception ex)
    {
        List<TaskCompletionSource<JsonNode?>> all;
        lock (_gate)
        {
            all = [.. _pending.Values];
            _pending.Clear();
        }

        all.ForEach(result => result.TrySetException(ex));
    }

    private async Task<JsonNode> ReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        using var response = await http.GetAsync($"/api/v1/task/{taskId}?event_t={LastEventT}", cancellationToken);
        Measurements.Check(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"GET task answered {response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["r"]!;
    }

    private static string Status(JsonNode task) => task["status"]!.GetValue<string>();

    /// <summary>An event id like the SDKs' (nanoid's alphabet, 21 characters).</summary>
    private static string NewId() =>
        new(Random.Shared.GetItems("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".AsSpan(), 21));

    private sealed class Connection(SdkStyleClient client) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                client.Disconnect();
            }

            return ValueTask.CompletedTask;
        }
    }
}
