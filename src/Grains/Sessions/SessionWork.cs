using System.Text.Json.Nodes;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Agent;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Downloads;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// What each kind of session command does, in one place: how it is checked before it goes into the mailbox, how it
/// runs (through the one <see cref="ActionRunner"/>, or the agent), what it answers when the session ended before it
/// ran, and what its result costs. A <see cref="CloseSession"/> is no work: the session ends with it.
/// </summary>
internal sealed class SessionWork(
    SessionServices services,
    SessionMailbox mailbox,
    SessionPage page,
    ActionScope scope,
    ITaskGrain record,
    PendingToolCalls toolCalls,
    SessionSpec spec,
    SessionDownloads downloads,
    Action touch)
{
    /// <summary>The first of the command's actions that does not fit the session (its index and why), or null.</summary>
    public async Task<(int Index, string Problem)?> CheckAsync(SessionCommand command)
    {
        IReadOnlyList<BrowserAction> actions = command switch
        {
            RunAction run => [run.Action],
            RunScript script => script.Actions,
            _ => [],
        };
        if (actions.Count == 0)
        {
            return null;
        }

        var current = await page.GetAsync();
        for (var i = 0; i < actions.Count; i++)
        {
            if (await services.Actions.CheckAsync(current, actions[i], scope, CancellationToken.None) is { } problem)
            {
                return (i, problem);
            }
        }

        return null;
    }

    /// <summary>
    /// Why the command cannot run now, as its outcome (<c>Invalid</c>); null when it can. A command that came while the
    /// session opened is checked here, against the page it will run on; a command nested more than
    /// <see cref="SessionMailbox.MaxNesting"/> deep under commands that wait for their client is refused.
    /// </summary>
    public async Task<ScriptOutcome?> RefusalAsync(Mail mail, int depth)
    {
        var command = mail.Command;
        if (depth > SessionMailbox.MaxNesting)
        {
            return Refused(command, 0, $"commands may nest only {SessionMailbox.MaxNesting} deep under commands that wait for a client's tool");
        }

        return !mail.Checked && await CheckAsync(command) is { } problem ? Refused(command, problem.Index, problem.Problem) : null;
    }

    private static ScriptOutcome Refused(SessionCommand command, int index, string why) =>
        new([ActionOutcome.Failure(NameOf(command, index), ActionStatus.Invalid, why)]);

    /// <summary>The action name a command's result carries (for a script: its action at <paramref name="index"/>).</summary>
    private static string NameOf(SessionCommand command, int index = 0) => command switch
    {
        CloseSession => CloseSession.ResultAction,
        ObservePage => ObservePage.ResultAction,
        RunAction run => run.Action.Type,
        RunScript script => index < script.Actions.Count ? script.Actions[index].Type : "script",
        Extract => "extract",
        _ => "run_task",
    };

    /// <summary>Runs the command; its outcome has one result per action that ran (one for a single action or an agent run).</summary>
    public async Task<ScriptOutcome> RunAsync(SessionCommand command)
    {
        var outcome = command switch
        {
            RunAction run => new ScriptOutcome([await RunActionAsync(run.Action)]),
            ObservePage => new ScriptOutcome([await ObserveAsync()]),
            RunScript script => await RunScriptAsync(script),
            RunAgent run => await RunAgentAsync(run, "run_task", (agent, token) => services.Agent.RunAsync(agent,
                run.Spec.InSession(spec), token)),
            Extract extract => await RunAgentAsync(extract, "extract", (agent, token) => services.Agent.ExtractAsync(agent, extract.Schema, extract.Prompt, spec.LiteAgent, token)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name + " is not work of the mailbox"),
        };
        touch();
        return outcome;
    }

    /// <summary>Runs one action on the session's page, as work of the host's browsers (the warm pools refill around it).</summary>
    public Task<ActionOutcome> RunActionAsync(BrowserAction action) =>
        mailbox.InterruptibleAsync(action.Type, async token =>
        {
            using var working = services.Browsers.Working();
            return await services.Actions.RunAsync(await page.GetAsync(), action, scope, token);
        });

    /// <summary>
    /// The page as the agent observes it (<see cref="PageObserver"/>, with the agent's element and text budgets), as
    /// work of the host's browsers; a page that cannot be read (it navigates, it hangs past the action timeout) fails.
    /// </summary>
    private Task<ActionOutcome> ObserveAsync() =>
        mailbox.InterruptibleAsync(ObservePage.ResultAction, async token =>
        {
            using var working = services.Browsers.Working();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var timeout = TimeSpan.FromMilliseconds(services.ActionSettings.DefaultTimeoutMs);
            try
            {
                var observation = await PageObserver.ObserveAsync(await page.GetAsync(), services.AgentSettings.MaxElements, services.AgentSettings.PageTextChars)
                    .WaitAsync(timeout, token);
                return ActionOutcome.Success(ObservePage.ResultAction, observation.ToJson(), clock.Elapsed.TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                return ActionOutcome.Failure(ObservePage.ResultAction, ActionStatus.TimedOut, $"{ObservePage.ResultAction} timed out after {timeout.TotalMilliseconds} ms", clock.Elapsed.TotalMilliseconds);
            }
            catch (Microsoft.Playwright.PlaywrightException ex) when (!token.IsCancellationRequested && !mailbox.Closed)
            {
                return ActionOutcome.Failure(ObservePage.ResultAction, ActionStatus.Failed, $"the page could not be observed: {ex.Message.Split('\n')[0]}", clock.Elapsed.TotalMilliseconds);
            }
        });

    /// <summary>
    /// What a command that never ran (or still ran, <paramref name="wasRunning"/>) when the session ended answers:
    /// interrupted (a close that was still queued is done: the session closed). A submitted command's sender hears of its
    /// "task", a client's event of its "action".
    /// </summary>
    public static ScriptOutcome NotRun(SessionCommand command, bool submitted, bool wasRunning = false)
    {
        var why = wasRunning ? "the session ended while the action was running"
            : submitted ? "the session ended before this task ran" : "the session ended before this action ran";
        return new ScriptOutcome([command is CloseSession
            ? ActionOutcome.Success(CloseSession.ResultAction, "true", 0)
            : SessionMailbox.Interrupted(NameOf(command), why)]);
    }

    /// <summary>
    /// The credits a command's result event carries: an extract is charged with its result, an agent run by its steps
    /// as they are recorded (so not again with its result), a deterministic action not at all.
    /// </summary>
    public static int ResultCredits(SessionCommand command, ActionOutcome result) => command is Extract ? result.Credits : 0;

    /// <summary>Runs a script's actions in order until one fails, taking the screenshots it asks for.</summary>
    private async Task<ScriptOutcome> RunScriptAsync(RunScript script)
    {
        var shots = await RecorderAsync(script);
        var results = new List<ActionOutcome>(script.Actions.Count);
        foreach (var action in script.Actions)
        {
            results.Add(mailbox.Closed
                ? SessionMailbox.Interrupted(action.Type, "the session ended while the task was running")
                : await RunActionAsync(action));
            touch();
            if (!results[^1].Ok)
            {
                break;
            }

            if (shots is not null)
            {
                await shots.AfterStepAsync();
            }
        }

        await FinishShotsAsync(shots);
        return new ScriptOutcome(results) { Screenshots = shots?.Names ?? [] };
    }

    /// <summary>Runs the agent (a run_task or an extract), interruptible like any action, with the screenshots it asks for.</summary>
    private async Task<ScriptOutcome> RunAgentAsync(SessionCommand command, string name, Func<IAgentSession, CancellationToken, Task<ActionOutcome>> run)
    {
        var shots = await RecorderAsync(command);
        var agent = new AgentView(page, scope, services.Artifacts, record, toolCalls, downloads, touch, shots);
        var outcome = await mailbox.InterruptibleAsync(name, token => run(agent, token));
        await FinishShotsAsync(shots);
        return new ScriptOutcome([outcome]) { Screenshots = shots?.Names ?? [] };
    }

    /// <summary>The recorder of a command's screenshots, started on the current page; null when it takes none.</summary>
    private async Task<ScreenshotRecorder?> RecorderAsync(SessionCommand command)
    {
        if (command.Capture is not { } capture || mailbox.Closed)
        {
            return null;
        }

        var recorder = new ScreenshotRecorder(capture, services.Artifacts, page.GetAsync);
        await recorder.StartAsync();
        return recorder;
    }

    private async Task FinishShotsAsync(ScreenshotRecorder? shots)
    {
        if (shots is not null && !mailbox.Closed)
        {
            await shots.FinishAsync();
        }
    }

    /// <summary>The session as the agent sees it: its page, its scope, its files, its task record, and the client's tools.</summary>
    private sealed class AgentView(
        SessionPage page, ActionScope scope, Artifacts.IArtifactStore artifacts, ITaskGrain record, PendingToolCalls toolCalls, SessionDownloads downloads,
        Action touch, ScreenshotRecorder? shots)
        : IAgentSession
    {
        /// <summary>How long an observation waits for a download a step started to land.</summary>
        private static readonly TimeSpan DownloadWait = TimeSpan.FromSeconds(10);

        public SessionPage Page => page;

        public ActionScope Scope => scope;

        public Task<IReadOnlyList<StoredFileInfo>> FilesAsync() => artifacts.ListAsync(scope.SessionId, CancellationToken.None);

        public Task<IReadOnlyList<StoredFileInfo>> NewDownloadsAsync() => downloads.TakeLandedAsync(DownloadWait);

        public async Task RecordStepAsync(int step, string tool, JsonNode? input, ActionOutcome outcome, string url)
        {
            var screenshot = shots is null ? null : await shots.AfterStepAsync();
            var data = new JsonObject
            {
                ["step"] = step,
                ["tool"] = tool,
                ["input"] = input?.DeepClone(),
                ["ok"] = outcome.Ok,
                ["error"] = outcome.Error,
                ["url"] = url,
            };
            if (screenshot is not null)
            {
                data["screenshot"] = screenshot;
            }

            touch();
            await record.AppendAsync(TaskEvent.Notice("agent_step", data.ToJsonString()) with { Credits = 1 });
        }

        public Task<ToolAnswer> CallToolAsync(string name, string inputJson, CancellationToken cancellationToken) =>
            toolCalls.CallAsync(name, inputJson, cancellationToken);
    }
}
