using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Agent;

/// <summary>What the agent needs from the session it runs in.</summary>
public interface IAgentSession
{
    /// <summary>The session's active page.</summary>
    SessionPage Page { get; }

    ActionScope Scope { get; }

    /// <summary>The session's files, which the agent's <c>upload</c> tool can put into file inputs.</summary>
    Task<IReadOnlyList<StoredFileInfo>> FilesAsync();

    /// <summary>
    /// The files the session's pages downloaded since the last call, once the downloads still running landed (what the
    /// next observation names).
    /// </summary>
    Task<IReadOnlyList<StoredFileInfo>> NewDownloadsAsync();

    /// <summary>Records one step (a task event worth one credit).</summary>
    Task RecordStepAsync(int step, string tool, JsonNode? input, ActionOutcome outcome, string url);

    /// <summary>Asks the client to run one of its tools and waits for the answer.</summary>
    Task<ToolAnswer> CallToolAsync(string name, string inputJson, CancellationToken cancellationToken);
}

/// <summary>
/// The agent loop: each step observes the page, asks the model for exactly one tool call, runs it through the one
/// <see cref="ActionRunner"/> (or the client's tool), and records the step, until the model calls <c>done</c> with an
/// output that satisfies the response model, or the step budget runs out. The run's secrets (<see cref="AgentSecrets"/>)
/// are typed where they are allowed and scrubbed from everything the run sends on.
/// </summary>
public sealed class AgentRunner(AgentModel model, ActionRunner actions, AgentCaptures captures, IOptions<AgentOptions> options, TimeProvider clock)
{
    private const string DoneTool = AgentToolbox.DoneTool;

    private readonly AgentOptions _options = options.Value;

    public async Task<ActionOutcome> RunAsync(IAgentSession session, AgentSpec spec, CancellationToken cancellationToken)
    {
        var secrets = new AgentSecrets(spec.Secrets);
        var outcome = await RunAsync(session, spec, secrets, cancellationToken);
        return outcome with { Value = secrets.Scrub(outcome.Value), Error = secrets.Scrub(outcome.Error) };
    }

    private async Task<ActionOutcome> RunAsync(IAgentSession session, AgentSpec spec, AgentSecrets secrets, CancellationToken cancellationToken)
    {
        const string action = "run_task";
        var started = Stopwatch.StartNew();
        if (model.For(spec.Lite) is not { } client)
        {
            return ActionOutcome.Failure(action, ActionStatus.Invalid, "no agent model is configured on this server");
        }

        var schema = spec.ResponseModel is null ? null : JsonSchema.FromText(spec.ResponseModel);
        var files = await session.FilesAsync();
        var toolbox = AgentToolbox.For(spec, files.Count > 0, secrets.Any);
        var chatOptions = new ChatOptions
        {
            Tools = toolbox.Declarations,
            ToolMode = ChatToolMode.RequireAny,
            AllowMultipleToolCalls = false,
        };
        var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt), new(ChatRole.User, TaskPrompt(spec, files, secrets)) };
        if (spec.StartUrl is { } startUrl)
        {
            var start = await actions.RunAsync(await session.Page.GetAsync(), new NavigateAction(startUrl), session.Scope, cancellationToken);
            if (!start.Ok)
            {
                return Fail(start.Status, $"the start url could not be opened: {start.Error}", 0);
            }
        }

        ChatMessage? lastObservation = null;
        var repairs = 0;
        for (var step = 1; step <= spec.MaxSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await session.Page.GetAsync();
            var downloaded = await session.NewDownloadsAsync();
            var observation = await PageObserver.ObserveAsync(page, _options.MaxElements, _options.PageTextChars);
            if (lastObservation is not null)
            {
                lastObservation.Contents = [new TextContent("(the page as it was at an earlier step)")];
            }

            lastObservation = new ChatMessage(ChatRole.User,
                $"Step {step} of {spec.MaxSteps}. The page now:\n{secrets.Scrub(observation.Describe() + Downloaded(downloaded))}");
            messages.Add(lastObservation);

            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return Fail(ActionStatus.Failed, $"agent_model_error: the model call failed: {PlaywrightErrors.FirstLine(ex.Message)}", step - 1);
            }

            messages.AddRange(response.Messages);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0)
            {
                var none = ActionOutcome.Failure("none", ActionStatus.Invalid, "the model answered without calling a tool");
                await session.RecordStepAsync(step, "none", null, none, secrets.Scrub(page.Url)!);
                messages.Add(new ChatMessage(ChatRole.User, "Answer with exactly one tool call."));
                continue;
            }

            var call = calls[0];
            var input = Arguments(call);
            var (outcome, result, finished) = await ExecuteAsync(session, new Step(toolbox, secrets, schema, repairs, spec.Lite), call.Name, input, cancellationToken);
            outcome = outcome with { Error = secrets.Scrub(outcome.Error) };
            await session.RecordStepAsync(step, call.Name, input, outcome, secrets.Scrub((await session.Page.GetAsync()).Url)!);
            if (finished is { } end)
            {
                return end with { DurationMs = started.Elapsed.TotalMilliseconds, Credits = step };
            }

            if (call.Name == DoneTool)
            {
                repairs++;
            }

            messages.Add(new ChatMessage(ChatRole.Tool, [.. calls.Select((c, i) =>
                (AIContent)new FunctionResultContent(c.CallId, i == 0 ? secrets.Scrub(result) : "ignored: call one tool per step"))]));
        }

        return Fail(ActionStatus.Failed, $"max_steps_exhausted: the agent used all {spec.MaxSteps} steps without finishing", spec.MaxSteps);

        ActionOutcome Fail(ActionStatus status, string error, int credits) =>
            ActionOutcome.Failure(action, status, error, started.Elapsed.TotalMilliseconds) with { Credits = credits };
    }

    /// <summary>
    /// Extracts data matching <paramref name="schemaJson"/> from the current page with one model call (plus repairs);
    /// without a schema, answers <paramref name="prompt"/> about the page as text. The model reads more of the page's
    /// text than a step's observation holds.
    /// </summary>
    public Task<ActionOutcome> ExtractAsync(IAgentSession session, string? schemaJson, string? prompt, bool lite, CancellationToken cancellationToken) =>
        ExtractAsync(session, schemaJson, prompt, AgentSecrets.None, lite, cancellationToken);

    private async Task<ActionOutcome> ExtractAsync(IAgentSession session, string? schemaJson, string? prompt, AgentSecrets secrets, bool lite, CancellationToken cancellationToken)
    {
        const string action = "extract";
        var started = Stopwatch.StartNew();
        if (model.For(lite) is not { } client)
        {
            return ActionOutcome.Failure(action, ActionStatus.Invalid, "no agent model is configured on this server");
        }

        var schema = schemaJson is null ? null : JsonSchema.FromText(schemaJson);
        var observation = await PageObserver.ObserveAsync(await session.Page.GetAsync(), 0, _options.PageTextChars * 2);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, schema is null
                ? "Answer the question about the web page below from its content only, briefly."
                : "Extract data from the web page below. Answer with JSON only, matching the given JSON schema."),
            new(ChatRole.User, $"{(prompt is null ? "" : "What to extract: " + prompt + "\n")}{(schema is null ? "" : "JSON schema: " + schemaJson + "\n")}\n{secrets.Scrub(observation.Describe())}"),
        };
        var chatOptions = schema is null
            ? new ChatOptions()
            : new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(schemaJson!).RootElement, "extraction") };
        for (var attempt = 0; attempt <= _options.MaxRepairs; attempt++)
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return ActionOutcome.Failure(action, ActionStatus.Failed, $"agent_model_error: the model call failed: {PlaywrightErrors.FirstLine(ex.Message)}", started.Elapsed.TotalMilliseconds);
            }

            messages.AddRange(response.Messages);
            if (schema is null)
            {
                return ActionOutcome.Success(action, JsonValue.Create(response.Text).ToJsonString(), started.Elapsed.TotalMilliseconds) with { Credits = 1 };
            }

            var problems = Validate(schema, response.Text, out var json);
            if (problems is null)
            {
                return ActionOutcome.Success(action, json, started.Elapsed.TotalMilliseconds) with { Credits = attempt + 1 };
            }

            if (attempt == _options.MaxRepairs)
            {
                return ActionOutcome.Failure(action, ActionStatus.Failed, $"response_model_invalid: {problems}", started.Elapsed.TotalMilliseconds) with { Credits = attempt + 1 };
            }

            messages.Add(new ChatMessage(ChatRole.User, $"That answer does not match the schema: {problems}. Answer again with corrected JSON only."));
        }

        throw new UnreachableException();
    }

    /// <summary>What a step's tool call runs with: the run's tools, secrets, response schema, and the repairs so far.</summary>
    private sealed record Step(AgentToolbox Toolbox, AgentSecrets Secrets, JsonSchema? Schema, int Repairs, bool Lite);

    private async Task<(ActionOutcome Outcome, string Result, ActionOutcome? Finished)> ExecuteAsync(
        IAgentSession session, Step run, string modelName, JsonObject input, CancellationToken cancellationToken)
    {
        var tool = run.Toolbox.Find(modelName);
        try
        {
            switch (tool)
            {
                case null when AgentSpec.BuiltInTools.Contains(modelName):
                    // An own tool the run does not offer (upload without files) still runs, and says why it cannot.
                    return Ran(await RunActionAsync(session, modelName, input, run.Secrets, cancellationToken));
                case null:
                    return Ran(ActionOutcome.Failure(modelName, ActionStatus.Invalid, $"there is no tool named '{modelName}'"));
                case { Kind: AgentToolKind.Client }:
                    var answer = await session.CallToolAsync(tool.Name, input.ToJsonString(), cancellationToken);
                    return answer.Code switch
                    {
                        200 => Ran(ActionOutcome.Success(modelName, answer.OutputJson ?? "null", 0)),
                        400 => Ran(ActionOutcome.Failure(modelName, ActionStatus.Failed, ErrorText(answer))),
                        _ => Fatal(ActionOutcome.Failure(modelName, ActionStatus.Failed, $"tool_failed: the client's tool '{tool.Name}' failed: {ErrorText(answer)}")),
                    };
                case { Kind: AgentToolKind.Additional, Options: { } options }:
                    return Ran(await RunAdditionalAsync(session, options, input, cancellationToken));
                case { Name: DoneTool }:
                    var output = input["output"]?.ToJsonString() ?? "null";
                    var problems = run.Schema is null ? null : Validate(run.Schema, output, out output);
                    if (problems is null)
                    {
                        var done = ActionOutcome.Success(DoneTool, output, 0);
                        return (done, "done", done with { Action = "run_task" });
                    }

                    var invalid = ActionOutcome.Failure(DoneTool, ActionStatus.Invalid, $"response_model_invalid: {problems}");
                    return run.Repairs >= _options.MaxRepairs
                        ? (invalid, "", invalid with { Action = "run_task" })
                        : (invalid, $"The output does not match the response model: {problems}. Call done again with a corrected output.", null);
                case { Name: "wait" }:
                    var seconds = Math.Clamp(Number(input, "seconds") ?? 1, 0, 10);
                    await Task.Delay(TimeSpan.FromSeconds(seconds), clock, cancellationToken);
                    return Ran(ActionOutcome.Success("wait", null, seconds * 1000));
                case { Name: "extract" }:
                    return Text(input, "query") is { } query
                        ? Ran(await ExtractAsync(session, null, query, run.Secrets, run.Lite, cancellationToken))
                        : Ran(ActionOutcome.Failure(modelName, ActionStatus.Invalid, "extract is missing an argument"));
                default:
                    return Ran(await RunActionAsync(session, tool.Name, input, run.Secrets, cancellationToken));
            }
        }
        catch (AgentToolTimeoutException ex)
        {
            return Fatal(ActionOutcome.Failure(modelName, ActionStatus.TimedOut, ex.Message));
        }

        static (ActionOutcome, string, ActionOutcome?) Ran(ActionOutcome outcome) =>
            (outcome, outcome.Ok ? "ok" + (outcome.Value is null ? "" : ": " + outcome.Value) : "error: " + outcome.Error, null);

        static (ActionOutcome, string, ActionOutcome?) Fatal(ActionOutcome outcome) => (outcome, "", outcome with { Action = "run_task" });
    }

    /// <summary>The agent's own browser tools, each one action (a type with submit: two) of the one action runner.</summary>
    private async Task<ActionOutcome> RunActionAsync(IAgentSession session, string tool, JsonObject input, AgentSecrets secrets, CancellationToken cancellationToken)
    {
        var selector = Element(input, "index");
        BrowserAction? action = tool switch
        {
            "goto" when Text(input, "url") is { } url => new NavigateAction(url),
            "click" when selector is not null => new ClickAction(selector, null),
            "type" when selector is not null && Text(input, "text") is { } text => new TypeAction(selector, text),
            "select" when selector is not null && Text(input, "option") is { } option => new SelectAction(selector, option),
            "upload" when selector is not null && Text(input, "file") is { } file => new UploadFileAction(selector, file),
            "scroll" => new EvaluateAction($"window.scrollBy(0, {(Text(input, "direction") == "up" ? -1 : 1)} * Math.round(innerHeight * 0.8))"),
            _ => null,
        };
        if (action is null)
        {
            return ActionOutcome.Failure(tool, ActionStatus.Invalid, $"{tool} is missing an argument");
        }

        if (action is TypeAction typing && secrets.Uses(typing.Text))
        {
            return await TypeSecretAsync(session, typing, input["submit"]?.GetValueKind() == JsonValueKind.True, secrets, cancellationToken);
        }

        var outcome = await RunOnPageAsync(session, action, cancellationToken);
        if (outcome.Ok && tool == "type" && input["submit"]?.GetValueKind() == JsonValueKind.True)
        {
            outcome = await RunOnPageAsync(session, new PressAction("Enter", selector), cancellationToken);
        }

        return outcome with { Action = tool };
    }

    /// <summary>
    /// Types text that names secrets: only when the page's URL matches every named secret's allowed_urls (else the
    /// step fails naming the secret), then marks the field so no observation reads it. The result shows no length.
    /// </summary>
    private async Task<ActionOutcome> TypeSecretAsync(IAgentSession session, TypeAction typing, bool submit, AgentSecrets secrets, CancellationToken cancellationToken)
    {
        var page = await session.Page.GetAsync();
        var (text, refused) = secrets.Resolve(typing.Text, page.Url);
        if (refused is not null)
        {
            return ActionOutcome.Failure("type", ActionStatus.Refused, refused);
        }

        var outcome = await RunOnPageAsync(session, typing with { Text = text! }, cancellationToken);
        if (outcome.Ok)
        {
            await PageObserver.MarkSecretAsync(page, typing.Selector);
            if (submit)
            {
                outcome = await RunOnPageAsync(session, new PressAction("Enter", typing.Selector), cancellationToken);
            }
        }

        return outcome with { Action = "type", Value = null };
    }

    /// <summary>The additional tools the request enabled, each an action of the one action runner.</summary>
    private async Task<ActionOutcome> RunAdditionalAsync(IAgentSession session, AdditionalTool tool, JsonObject input, CancellationToken cancellationToken)
    {
        switch (tool.Name)
        {
            case AdditionalTool.Screenshot:
                return await captures.SaveAsync(session.Scope, tool.Name,
                    await RunOnPageAsync(session, new ScreenshotAction(null, tool.FullPage), cancellationToken, timeoutMs: 30_000), cancellationToken);
            case AdditionalTool.PrintPage:
                return await captures.SaveAsync(session.Scope, tool.Name,
                    await RunOnPageAsync(session, new PdfAction(null, false, null, true, null), cancellationToken, timeoutMs: 30_000), cancellationToken);
        }

        BrowserAction? action = tool.Name switch
        {
            AdditionalTool.Hover when Element(input, "index") is { } element => new HoverAction(element),
            AdditionalTool.DragDrop when Element(input, "source_index") is { } source && Element(input, "target_index") is { } target => new DragAndDropAction(source, target),
            _ => null,
        };
        return action is null
            ? ActionOutcome.Failure(tool.Name, ActionStatus.Invalid, $"{tool.Name} is missing an argument")
            : await RunOnPageAsync(session, action, cancellationToken) with { Action = tool.Name };
    }

    private async Task<ActionOutcome> RunOnPageAsync(IAgentSession session, BrowserAction action, CancellationToken cancellationToken, int timeoutMs = 10_000) =>
        await actions.RunAsync(await session.Page.GetAsync(), action with { TimeoutMs = timeoutMs }, session.Scope, cancellationToken);

    /// <summary>The selector of the observed element whose index is the argument <paramref name="name"/>; null without one.</summary>
    private static string? Element(JsonObject input, string name) => Number(input, name) is { } index ? PageObserver.Selector((int)index) : null;

    /// <summary>Null when <paramref name="json"/> satisfies the schema, else the problems; <paramref name="normalized"/> is the compact JSON.</summary>
    private static string? Validate(JsonSchema schema, string json, out string normalized)
    {
        normalized = json;
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(json);
            normalized = value?.ToJsonString() ?? "null";
        }
        catch (JsonException ex)
        {
            return "the output is not JSON: " + PlaywrightErrors.FirstLine(ex.Message);
        }

        var result = schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var errors = result.Details.Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
            .Distinct().Take(10).ToList();
        return errors.Count > 0 ? string.Join("; ", errors) : "the output does not match the schema";
    }

    private const string SystemPrompt = """
        You operate a web browser to complete the user's task. Each step shows the current page: its URL, title,
        numbered interactive elements and visible text. Call exactly one tool per step. Refer to elements by their
        number. When the task is complete, call done with the output.
        """;

    private static string TaskPrompt(AgentSpec spec, IReadOnlyList<StoredFileInfo> files, AgentSecrets secrets) =>
        "Task: " + spec.Task
        + (spec.MetadataJson is { } metadata ? "\nVariables for this task: " + metadata : "")
        + (files.Count > 0 ? "\nFiles you can upload: " + string.Join(", ", files.Select(f => $"{f.Name} ({f.Size} bytes{(f.Description is { } purpose ? ": " + purpose : "")})")) : "")
        + (secrets.Any ? "\n" + secrets.Describe() : "");

    /// <summary>The files that landed since the last step, as the observation names them (the model gets their names, not their bytes).</summary>
    private static string Downloaded(IReadOnlyList<StoredFileInfo> files) =>
        files.Count == 0 ? "" : "\nDownloaded since the last step: " + string.Join(", ", files.Select(f => $"{f.Name} ({f.Size} bytes)"));

    private static JsonObject Arguments(FunctionCallContent call)
    {
        var input = new JsonObject();
        foreach (var (name, value) in call.Arguments ?? new Dictionary<string, object?>())
        {
            input[name] = value is null ? null : JsonSerializer.SerializeToNode(value);
        }

        return input;
    }

    private static double? Number(JsonObject input, string name) =>
        input[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;

    private static string? Text(JsonObject input, string name) =>
        input[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string ErrorText(ToolAnswer answer) =>
        answer.OutputJson is { } json && JsonNode.Parse(json) is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : answer.OutputJson ?? "no output";

}

/// <summary>The client did not answer a tool call in time.</summary>
public sealed class AgentToolTimeoutException(string message) : Exception(message);
