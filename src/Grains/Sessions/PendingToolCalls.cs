using System.Text.Json.Nodes;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Agent;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The calls of a client's tools that a session's agent waits on: each is announced as a <c>tool_call</c> task event
/// with an id of its own, and answered through <see cref="Answer"/> (the Task API's <c>tool_call</c> event) within the
/// agent's tool timeout. While a call waits, the session's mailbox runs the commands that come meanwhile
/// (<paramref name="whileWaiting"/>): the tool's own browser actions and run_tasks, on the same page.
/// </summary>
internal sealed class PendingToolCalls(ITaskGrain record, TimeSpan timeout, Func<Task, Task> whileWaiting)
{
    private readonly Dictionary<string, TaskCompletionSource<ToolAnswer>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Answers the call with this id; false when no such call waits (never made, answered, or given up).</summary>
    public bool Answer(string toolCallId, ToolAnswer answer)
    {
        if (!_waiting.Remove(toolCallId, out var call))
        {
            return false;
        }

        call.TrySetResult(answer);
        return true;
    }

    /// <summary>Announces a call of the client's tool <paramref name="name"/> and waits for its answer.</summary>
    public async Task<ToolAnswer> CallAsync(string name, string inputJson, CancellationToken cancellationToken)
    {
        var id = Ids.New("tc_", 10);
        var answer = new TaskCompletionSource<ToolAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = answer;
        var data = new JsonObject { ["name"] = name, ["input"] = JsonNode.Parse(inputJson) };
        await record.AppendAsync(new TaskEvent(id, "tool_call", 0, null, data.ToJsonString()));
        try
        {
            var answered = answer.Task.WaitAsync(timeout, cancellationToken);
            await whileWaiting(answered);
            return await answered;
        }
        catch (TimeoutException)
        {
            throw new AgentToolTimeoutException($"tool_timeout: the client did not answer the call of its tool '{name}' within {timeout.TotalSeconds:0} seconds");
        }
        finally
        {
            _waiting.Remove(id);
        }
    }
}
