using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Actions;
using SessionGrid.Api.Agent;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.BrowsingApi;

/// <summary>
/// Browsing templates: how a task's text becomes a plan. Built in: <c>default</c> (the agent does the task),
/// <c>visit</c> (the task is a URL: open it and return its URL, title and visible text) and <c>actions</c> (the task
/// is a JSON list of actions in the shared vocabulary). Operators add <c>{stem}.json</c> files in
/// <c>SessionGrid:Browsing:TemplatesFolder</c>, read on each use:
/// <c>{"kind": "agent", "prompt": "… {task} …", "start_url"?, "max_steps"?, "response_model"?}</c> or
/// <c>{"kind": "actions", "actions": [… "{task}" …], "payload"?: index}</c>, where <c>{task}</c> in any string
/// becomes the task's text; either may name an upstream proxy for the task's sessions, <c>"proxy": {"server", …}</c>.
/// </summary>
public sealed partial class BrowsingTemplates(IOptions<BrowsingOptions> options)
{
    public const string Default = "default";
    public const string Visit = "visit";
    public const string Actions = "actions";
    public const int MaxActions = 100;

    private const string Placeholder = "{task}";

    private const string VisitScript =
        "({ url: location.href, title: document.title, text: (document.body ? document.body.innerText : '').replace(/\\n\\s*\\n+/g, '\\n').trim().slice(0, 100000) })";

    public sealed class TemplateException(string message) : Exception(message);

    /// <summary>The plan for <paramref name="task"/> under the template <paramref name="stem"/> (null for the default).</summary>
    /// <exception cref="TemplateException">The template is unknown or invalid, or the task does not fit it.</exception>
    public BrowsingPlan Plan(string? stem, string task, bool agentConfigured)
    {
        stem ??= Default;
        switch (stem)
        {
            case Default:
                return AgentPlan(new JsonObject(), task, agentConfigured, stem);
            case Visit:
                if (!Uri.TryCreate(task.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    throw new TemplateException("the visit template's task must be an absolute http or https URL");
                }

                return new BrowsingPlan(null, [new NavigateAction(url.ToString()), new EvaluateAction(VisitScript)], PayloadFrom: 1);
            case Actions:
                return new BrowsingPlan(null, ParseActions(task, "task"));
        }

        if (!Stem().IsMatch(stem))
        {
            throw new TemplateException("template must be a stem of 1 to 64 letters, digits, '_' or '-'");
        }

        var template = Load(stem);
        var plan = template["kind"]?.GetValue<string>() switch
        {
            "agent" => AgentPlan(template, task, agentConfigured, stem),
            "actions" when template["actions"] is JsonArray actions => new BrowsingPlan(null,
                ParseActions(Substitute(actions, task).ToJsonString(), $"template '{stem}'"),
                template["payload"] is JsonValue payload && payload.TryGetValue<int>(out var index) ? index : -1),
            _ => throw new TemplateException($"template '{stem}' is invalid: kind must be agent or actions (with an actions list)"),
        };
        return plan with { Proxy = TemplateProxy(template, stem) };
    }

    /// <summary>
    /// The upstream proxy an operator template names for its sessions: <c>"proxy": {"server", "username"?, "password"?,
    /// "bypass"?}</c>, checked like a client's (no message repeats its credentials).
    /// </summary>
    private static UpstreamProxy? TemplateProxy(JsonObject template, string stem)
    {
        if (template["proxy"] is not { } node)
        {
            return null;
        }

        string? Text(string name) => node is JsonObject proxy && proxy[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var names = new UpstreamProxy.FieldNames($"template '{stem}': proxy.server", $"template '{stem}': proxy.username",
            $"template '{stem}': proxy.password", $"template '{stem}': proxy.bypass");
        var (parsed, error) = node is JsonObject
            ? UpstreamProxy.Parse(Text("server"), Text("username"), Text("password"), Text("bypass"), names)
            : (null, $"template '{stem}' is invalid: proxy must be an object {{server, username, password, bypass}}");
        return error is not null || parsed is null
            ? throw new TemplateException(error ?? $"template '{stem}' is invalid: proxy needs a server")
            : parsed;
    }

    private JsonObject Load(string stem)
    {
        var folder = options.Value.TemplatesFolder;
        var path = folder is { Length: > 0 } ? Path.Combine(folder, stem + ".json") : null;
        if (path is null || !File.Exists(path))
        {
            throw new TemplateException($"unknown template '{stem}'; templates: {string.Join(", ", Known())}");
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new TemplateException($"template '{stem}' is invalid: it must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new TemplateException($"template '{stem}' is invalid JSON: {ex.Message.Split('\n')[0]}");
        }
    }

    /// <summary>The templates a client can name.</summary>
    public IEnumerable<string> Known()
    {
        IEnumerable<string> builtIn = [Default, Visit, Actions];
        var folder = options.Value.TemplatesFolder;
        return folder is { Length: > 0 } && Directory.Exists(folder)
            ? builtIn.Concat(Directory.EnumerateFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Where(s => Stem().IsMatch(s)).Order())
            : builtIn;
    }

    private static BrowsingPlan AgentPlan(JsonObject template, string task, bool agentConfigured, string stem)
    {
        if (!agentConfigured)
        {
            throw new TemplateException($"the '{stem}' template runs the agent, and no agent model is configured on this server; use the 'visit' or 'actions' template");
        }

        var prompt = template["prompt"]?.GetValue<string>() is { } text ? text.Replace(Placeholder, task, StringComparison.Ordinal) : task;
        try
        {
            var maxSteps = template["max_steps"] is JsonValue steps && steps.TryGetValue<int>(out var n) ? n : (int?)null;
            var responseModel = template["response_model"] is JsonObject schema ? JsonDocument.Parse(schema.ToJsonString()).RootElement : (JsonElement?)null;
            var spec = AgentRequestParser.Spec(prompt, maxSteps, responseModel, null, []);
            return new BrowsingPlan(spec with { StartUrl = template["start_url"]?.GetValue<string>() }, []);
        }
        catch (Exception ex) when (ex is AgentRequestParser.InvalidAgentRequest or InvalidOperationException or FormatException)
        {
            throw new TemplateException(stem == Default ? ex.Message : $"template '{stem}' is invalid: {ex.Message}");
        }
    }

    private static List<BrowserAction> ParseActions(string json, string what)
    {
        JsonElement list;
        try
        {
            list = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException ex)
        {
            throw new TemplateException($"{what} must be a JSON list of actions for the actions template: {ex.Message.Split('\n')[0]}");
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxActions)
        {
            throw new TemplateException($"{what} must be a JSON list of 1 to {MaxActions} actions for the actions template");
        }

        var actions = new List<BrowserAction>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var parsed = ActionJson.Parse(item);
            actions.Add(parsed.Action ?? throw new TemplateException($"{what}: action {index}: {parsed.Error}"));
            index++;
        }

        return actions;
    }

    private static JsonNode Substitute(JsonNode node, string task) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : (JsonNode?)Substitute(p.Value, task)))),
        JsonArray array => new JsonArray([.. array.Select(v => v is null ? null : Substitute(v, task))]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(text.Replace(Placeholder, task, StringComparison.Ordinal)),
        _ => node.DeepClone(),
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Stem();
}
