using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SessionGrid.Contracts.Actions;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// The engine's action vocabulary on a page, each action implemented once for every dialect. It never throws for
/// an action's failure: every outcome, including timeouts and a closed page, comes back as an <see cref="ActionOutcome"/>.
/// </summary>
public sealed class ActionRunner(UrlPolicy urlPolicy, IOptions<ActionOptions> options)
{
    private readonly ActionOptions _options = options.Value;

    /// <summary>The timeout an action runs with: its own, bounded by the maximum, else the default.</summary>
    public int TimeoutFor(BrowserAction action) =>
        action.TimeoutMs is { } ms ? Math.Clamp(ms, 1, _options.MaxTimeoutMs) : _options.DefaultTimeoutMs;

    public async Task<ActionOutcome> RunAsync(IPage page, BrowserAction action, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var timeout = TimeoutFor(action);
        try
        {
            var value = action switch
            {
                NavigateAction navigate => await NavigateAsync(page, navigate, timeout),
                EvaluateAction evaluate => await EvaluateAsync(page, evaluate, timeout, cancellationToken),
                _ => throw new ActionException(ActionStatus.Invalid, $"unsupported action '{action.Type}'"),
            };
            if (value is not null && value.Length > _options.MaxResultBytes)
            {
                throw new ActionException(ActionStatus.Invalid, $"the result is larger than {_options.MaxResultBytes} bytes");
            }

            return ActionOutcome.Success(action.Type, value, clock.Elapsed.TotalMilliseconds);
        }
        catch (ActionException ex)
        {
            return ActionOutcome.Failure(action.Type, ex.Status, ex.Message, clock.Elapsed.TotalMilliseconds);
        }
        catch (TimeoutException)
        {
            return ActionOutcome.Failure(action.Type, ActionStatus.TimedOut, $"{action.Type} timed out after {timeout} ms", clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            return ActionOutcome.Failure(action.Type, ActionStatus.Interrupted, "the action was interrupted", clock.Elapsed.TotalMilliseconds);
        }
        catch (PlaywrightException ex) when (page.IsClosed || IsTargetClosed(ex))
        {
            return ActionOutcome.Failure(action.Type, ActionStatus.BrowserError, "the page or its browser closed while the action ran", clock.Elapsed.TotalMilliseconds);
        }
        catch (PlaywrightException ex)
        {
            return ActionOutcome.Failure(action.Type, ActionStatus.Failed, Describe(ex), clock.Elapsed.TotalMilliseconds);
        }
    }

    private async Task<string?> NavigateAsync(IPage page, NavigateAction action, int timeout)
    {
        if (urlPolicy.Refusal(action.Url) is { } refusal)
        {
            throw new ActionException(ActionStatus.Refused, refusal);
        }

        var response = await page.GotoAsync(action.Url, new PageGotoOptions
        {
            Timeout = timeout,
            WaitUntil = action.WaitUntil switch
            {
                WaitUntil.DomContentLoaded => WaitUntilState.DOMContentLoaded,
                WaitUntil.NetworkIdle => WaitUntilState.NetworkIdle,
                _ => WaitUntilState.Load,
            },
        });
        return JsonSerializer.Serialize(new Dictionary<string, object?> { ["url"] = page.Url, ["status"] = response?.Status });
    }

    /// <summary>
    /// Runs a script as an expression (a function value is called with the arguments), or, when it does not parse
    /// as one (it uses <c>return</c>), as the body of an async function that sees the arguments as <c>args</c>.
    /// A syntax error means nothing ran, so trying the second form never runs a script twice.
    /// </summary>
    private static async Task<string?> EvaluateAsync(IPage page, EvaluateAction action, int timeout, CancellationToken cancellationToken)
    {
        const string expressionForm = "async (__sgArgs) => { const __sgValue = (\n{0}\n); return typeof __sgValue === 'function' ? await __sgValue(__sgArgs === null ? undefined : JSON.parse(__sgArgs)) : await __sgValue; }";
        const string bodyForm = "async (__sgArgs) => { const args = __sgArgs === null ? undefined : JSON.parse(__sgArgs);\n{0}\n}";
        JsonElement? result;
        try
        {
            result = await Evaluate(expressionForm, action.Script.TrimEnd().TrimEnd(';'));
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("SyntaxError", StringComparison.Ordinal))
        {
            result = await Evaluate(bodyForm, action.Script);
        }

        return result is { ValueKind: not JsonValueKind.Undefined } value ? value.GetRawText() : "null";

        Task<JsonElement?> Evaluate(string form, string script) =>
            page.EvaluateAsync<JsonElement?>(form.Replace("{0}", script, StringComparison.Ordinal), action.ArgsJson)
                .WaitAsync(TimeSpan.FromMilliseconds(timeout), cancellationToken);
    }

    private static bool IsTargetClosed(PlaywrightException ex) =>
        ex.Message.Contains("Target page, context or browser has been closed", StringComparison.Ordinal)
        || ex.Message.Contains("Target closed", StringComparison.Ordinal);

    /// <summary>The first line of Playwright's message, without its call log.</summary>
    private static string Describe(PlaywrightException ex)
    {
        var line = ex.Message.Split('\n', 2)[0].Trim();
        return line.Length <= 1000 ? line : line[..1000] + "…";
    }
}
