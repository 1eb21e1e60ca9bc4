using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// The one allowed stand-in: an OpenAI-compatible chat completions server on 127.0.0.1 that plays scripted model
/// turns, so SessionGrid's real IChatClient path runs. Each turn sees the request (the conversation so far) and
/// answers with a tool call or text; every request is kept for assertions.
/// </summary>
public sealed partial class ScriptedModel : IAsyncDisposable
{
    private readonly ConcurrentQueue<Func<JsonNode, JsonObject>> _turns = new();
    private WebApplication? _app;
    private int _calls;

    public string Endpoint { get; private set; } = "";

    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    public static async Task<ScriptedModel> StartAsync()
    {
        var model = new ScriptedModel();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        model._app = builder.Build();
        model._app.MapPost("/v1/chat/completions", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!;
            model.Requests.Enqueue(body);
            if (!model._turns.TryDequeue(out var turn))
            {
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = "the script has no more turns" } }, statusCode: 400);
            }

            var message = turn(body);
            var calls = message["tool_calls"] is not null;
            return Results.Json(new JsonObject
            {
                ["id"] = $"chatcmpl-{Interlocked.Increment(ref model._calls)}",
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = body["model"]?.GetValue<string>() ?? "scripted",
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = calls ? "tool_calls" : "stop" }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
            });
        });
        await model._app.StartAsync();
        model.Endpoint = model._app.Urls.First().TrimEnd('/') + "/v1";
        return model;
    }

    /// <summary>Settings that point a host's agent at this model.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["SessionGrid:Agent:Endpoint"] = Endpoint,
        ["SessionGrid:Agent:Model"] = "scripted-model",
        ["SessionGrid:Agent:ApiKey"] = "test-model-key",
    };

    public void Reset()
    {
        _turns.Clear();
        Requests.Clear();
    }

    public void Play(params Func<JsonNode, JsonObject>[] turns)
    {
        foreach (var turn in turns)
        {
            _turns.Enqueue(turn);
        }
    }

    /// <summary>A turn that calls one tool with fixed arguments.</summary>
    public static Func<JsonNode, JsonObject> Call(string tool, JsonObject arguments) => _ => ToolCall(tool, arguments);

    /// <summary>A turn that calls a tool on the element whose observation line shows <paramref name="text"/>.</summary>
    public static Func<JsonNode, JsonObject> OnElement(string tool, string text, JsonObject? more = null) => request =>
    {
        var arguments = more?.DeepClone().AsObject() ?? [];
        arguments["index"] = IndexOf(request, text);
        return ToolCall(tool, arguments);
    };

    public static Func<JsonNode, JsonObject> Text(string content) => _ => new JsonObject { ["role"] = "assistant", ["content"] = content };

    /// <summary>The content of the last message of a role in a request (the latest observation, the latest tool result).</summary>
    public static string Last(JsonNode request, string role) =>
        request["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == role)!["content"] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
            _ => "",
        };

    private static int IndexOf(JsonNode request, string text)
    {
        foreach (Match line in ElementLine().Matches(Last(request, "user")))
        {
            if (line.Value.Contains(text, StringComparison.Ordinal))
            {
                return int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no element shows '{text}' in the observation");
    }

    private static JsonObject ToolCall(string tool, JsonObject arguments) => new()
    {
        ["role"] = "assistant",
        ["content"] = null,
        ["tool_calls"] = new JsonArray(new JsonObject
        {
            ["id"] = "call_" + Guid.NewGuid().ToString("N")[..12],
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments.ToJsonString() },
        }),
    };

    [GeneratedRegex(@"^\[(\d+)\] .*$", RegexOptions.Multiline)]
    private static partial Regex ElementLine();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
