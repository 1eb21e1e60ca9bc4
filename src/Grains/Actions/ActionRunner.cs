using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SessionGrid.Contracts.Actions;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Telemetry;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// The engine's action vocabulary on a page, each action implemented once for every dialect. It never throws for
/// an action's failure: every outcome, including timeouts and a closed page, comes back as an <see cref="ActionOutcome"/>.
/// Values are JSON: an object for most actions (<c>{"charactersTyped": 5}</c>), the script's own value for evaluate,
/// null for actions that only act (click, press, wait, hover, dragAndDrop).
/// </summary>
public sealed class ActionRunner(
    UrlPolicy urlPolicy,
    IArtifactStore artifacts,
    IOptions<ActionOptions> options,
    Authenticator authenticator,
    ILogger<ActionRunner> log)
{
    /// <summary>The paper sizes <c>pdf</c> accepts (Playwright's names).</summary>
    public static readonly IReadOnlySet<string> PdfFormats = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Letter", "Legal", "Tabloid", "Ledger", "A0", "A1", "A2", "A3", "A4", "A5", "A6",
    };

    /// <summary>
    /// Each action record's implementation, by record type: how it runs, what <see cref="CheckAsync"/> checks before
    /// it is queued (beyond its timeout), and whether its value is a capture (allowed up to the capture limit).
    /// </summary>
    private static readonly FrozenDictionary<Type, Handler> Handlers = new[]
    {
        On<NavigateAction>((runner, action, run) => runner.NavigateAsync(run.Page, action, run.Scope, run.Timeout)),
        On<ClickAction>((_, action, run) => ClickAsync(run.Page, action, run.Deadline),
            check: (_, action, run) => Task.FromResult(action.Coordinates is { } point ? OutsideViewport(run.Page, point) : null)),
        On<TypeAction>((_, action, run) => TypeAsync(run.Page, action, run.Deadline)),
        On<PressAction>((_, action, run) => PressAsync(run.Page, action, run.Deadline)),
        On<ScrollAction>((_, action, run) => ScrollAsync(run.Page, action, run.Deadline)),
        On<WaitAction>((_, action, run) => WaitAsync(run.Page, action, run.Timeout)),
        On<EvaluateAction>((_, action, run) => EvaluateAsync(run.Page, action, run.Timeout, run.Token)),
        On<ScreenshotAction>((_, action, run) => ScreenshotAsync(run.Page, action, run.Deadline), captures: true),
        On<UploadFileAction>((runner, action, run) => runner.UploadAsync(run.Page, action, run.Scope, run.Deadline, run.Token),
            check: (runner, action, run) => runner.MissingFileAsync(action, run)),
        On<SelectAction>((_, action, run) => SelectAsync(run.Page, action, run.Deadline)),
        On<HoverAction>((_, action, run) => HoverAsync(run.Page, action, run.Deadline)),
        On<DragAndDropAction>((_, action, run) => DragAndDropAsync(run.Page, action, run.Deadline)),
        On<PdfAction>((_, action, run) => PdfAsync(run.Page, action, run.Timeout, run.Token),
            check: (_, action, _) => Task.FromResult(PdfProblem(action)), captures: true),
        On<ContentAction>((_, _, run) => ContentAsync(run.Page, run.Timeout, run.Token), captures: true),
        On<AuthenticateAction>(async (runner, action, run) => await runner._authenticator.RunAsync(run.Page, action, run.Scope, run.Timeout, run.Token),
            check: (runner, action, _) => Task.FromResult(runner._authenticator.Problem(action))),
    }.ToFrozenDictionary();

    private readonly ActionOptions _options = options.Value;
    private readonly Authenticator _authenticator = authenticator;

    /// <summary>The action records this runner implements (the action registry test checks it has every one).</summary>
    internal static IEnumerable<Type> HandledActions => Handlers.Keys;

    /// <summary>The timeout an action runs with: its own (checked by <see cref="CheckAsync"/>), else the default.</summary>
    public int TimeoutFor(BrowserAction action) =>
        action.TimeoutMs is { } ms ? Math.Clamp(ms, 1, _options.MaxTimeoutMs) : _options.DefaultTimeoutMs;

    /// <summary>
    /// Null when the action can run on this page, else why not: a timeout out of range, a point outside the viewport,
    /// PDF options Chromium would refuse, a file never uploaded. Run before an action is queued, so a refused
    /// request changes nothing.
    /// </summary>
    public async Task<string?> CheckAsync(IPage page, BrowserAction action, ActionScope scope, CancellationToken cancellationToken)
    {
        if (action.TimeoutMs is { } ms && (ms < 1 || ms > _options.MaxTimeoutMs))
        {
            return $"timeoutMs must be between 1 and {_options.MaxTimeoutMs} (got {ms})";
        }

        return Handlers.GetValueOrDefault(action.GetType())?.CheckAsync is { } check
            ? await check(this, action, Run.Of(page, scope, TimeoutFor(action), cancellationToken))
            : null;
    }

    /// <summary>Runs the action, traced (a span named by its type) and measured (<see cref="SessionGridMetrics"/>).</summary>
    public async Task<ActionOutcome> RunAsync(IPage page, BrowserAction action, ActionScope scope, CancellationToken cancellationToken)
    {
        using var telemetry = ActionTelemetry.Start(log, action, scope);
        var outcome = await RunUntracedAsync(page, action, scope, cancellationToken);
        telemetry.Finish(outcome);
        return outcome;
    }

    private async Task<ActionOutcome> RunUntracedAsync(IPage page, BrowserAction action, ActionScope scope, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var timeout = TimeoutFor(action);
        try
        {
            if (!Handlers.TryGetValue(action.GetType(), out var handler))
            {
                throw new ActionException(ActionStatus.Invalid, $"unsupported action '{action.Type}'");
            }

            var value = await handler.RunAsync(this, action, new Run(page, scope, timeout, new Deadline(clock, timeout), cancellationToken));
            var limit = handler.Captures ? _options.MaxCaptureBytes : _options.MaxResultBytes;
            if (value is not null && value.Length > limit)
            {
                throw new ActionException(ActionStatus.Invalid, $"the result is larger than {limit} bytes");
            }

            return ActionOutcome.Success(action.Type, value, clock.Elapsed.TotalMilliseconds);
        }
        catch (ActionException ex)
        {
            return new ActionOutcome(action.Type, ex.Status, ex.Value, ex.Message, clock.Elapsed.TotalMilliseconds);
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
        catch (PlaywrightException ex) when (ProxyFailures.Describe(ex, scope.Proxy) is { } proxyFailure)
        {
            return ActionOutcome.Failure(action.Type, ActionStatus.Failed, proxyFailure, clock.Elapsed.TotalMilliseconds);
        }
        catch (PlaywrightException ex) when (IsBadSelector(ex))
        {
            return ActionOutcome.Failure(action.Type, ActionStatus.Invalid, "invalid selector: " + Describe(ex), clock.Elapsed.TotalMilliseconds);
        }
        catch (PlaywrightException ex)
        {
            return ActionOutcome.Failure(action.Type, ActionStatus.Failed, Describe(ex), clock.Elapsed.TotalMilliseconds);
        }
    }

    private async Task<string?> NavigateAsync(IPage page, NavigateAction action, ActionScope scope, int timeout)
    {
        if (urlPolicy.Refusal(action.Url) is { } refusal)
        {
            throw new ActionException(ActionStatus.Refused, refusal);
        }

        if (scope.AllowedUrls is { } allowed && !allowed.Allows(action.Url))
        {
            throw new ActionException(ActionStatus.Refused, $"url_not_allowed: {Quote.Shorten(action.Url)} is outside this task's allowed_urls");
        }

        IResponse? response;
        try
        {
            response = await page.GotoAsync(action.Url, new PageGotoOptions
            {
                Timeout = timeout,
                WaitUntil = action.WaitUntil switch
                {
                    WaitUntil.DomContentLoaded => WaitUntilState.DOMContentLoaded,
                    WaitUntil.NetworkIdle => WaitUntilState.NetworkIdle,
                    _ => WaitUntilState.Load,
                },
            });
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("net::ERR_", StringComparison.Ordinal) && !ex.Message.Contains("net::ERR_ABORTED", StringComparison.Ordinal))
        {
            await SettleOnErrorPageAsync(page);
            throw;
        }

        if (response?.Status == 407 && scope.Proxy is { } proxy)
        {
            throw new ActionException(ActionStatus.Failed, ProxyFailures.AuthenticationRequired(proxy));
        }

        // The routes see a navigation's first request only: a redirect out of the task's allowed URLs is undone here.
        if (scope.AllowedUrls is { } stillAllowed && !stillAllowed.Allows(page.Url))
        {
            var landed = page.Url;
            await page.GotoAsync("about:blank", new PageGotoOptions { Timeout = timeout });
            throw new ActionException(ActionStatus.Refused,
                $"url_not_allowed: {Quote.Shorten(action.Url)} redirected to {Quote.Shorten(landed)}, outside this task's allowed_urls");
        }

        return Json(new JsonObject { ["url"] = page.Url, ["status"] = response?.Status });
    }

    /// <summary>
    /// After a navigation that failed at the network (a refused connection, a failing proxy), Chromium shows its error
    /// page a moment later; the next action waits for nothing when it has come, and would otherwise lose its page to it.
    /// </summary>
    private static async Task SettleOnErrorPageAsync(IPage page)
    {
        try
        {
            await page.WaitForURLAsync(url => url.StartsWith("chrome-error:", StringComparison.Ordinal),
                new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 2_000 });
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            // No error page came (or the page closed): nothing to wait for.
        }
    }

    private static async Task<string?> ClickAsync(IPage page, ClickAction action, Deadline deadline)
    {
        if (action.Coordinates is { } point)
        {
            if (OutsideViewport(page, point) is { } problem)
            {
                throw new ActionException(ActionStatus.Invalid, problem);
            }

            await page.Mouse.ClickAsync((float)point.X, (float)point.Y);
            return null;
        }

        var element = await ElementAsync(page, action.Selector!, deadline);
        await element.ClickAsync(new LocatorClickOptions { Timeout = deadline.Remaining });
        return null;
    }

    private static async Task<string?> TypeAsync(IPage page, TypeAction action, Deadline deadline)
    {
        var element = await ElementAsync(page, action.Selector, deadline);
        if (!await element.IsEditableAsync(new LocatorIsEditableOptions { Timeout = deadline.Remaining }))
        {
            throw new ActionException(ActionStatus.Failed, $"the element matching '{action.Selector}' is not editable");
        }

        await element.PressSequentiallyAsync(action.Text, new LocatorPressSequentiallyOptions { Timeout = deadline.Remaining });
        return Json(new JsonObject { ["charactersTyped"] = action.Text.EnumerateRunes().Count() });
    }

    private static async Task<string?> PressAsync(IPage page, PressAction action, Deadline deadline)
    {
        if (action.Selector is { } selector)
        {
            var element = await ElementAsync(page, selector, deadline);
            await element.PressAsync(action.Key, new LocatorPressOptions { Timeout = deadline.Remaining });
        }
        else
        {
            await page.Keyboard.PressAsync(action.Key).WaitAsync(TimeSpan.FromMilliseconds(deadline.Remaining));
        }

        return null;
    }

    private static async Task<string?> ScrollAsync(IPage page, ScrollAction action, Deadline deadline)
    {
        if (action.Coordinates is { } point)
        {
            await page.EvaluateAsync("([x, y]) => window.scrollTo(x, y)", new[] { point.X, point.Y });
        }
        else
        {
            var target = action.Selector is { } selector ? await ElementAsync(page, selector, deadline) : await TextAsync(page, action.Text!, deadline);
            await target.ScrollIntoViewIfNeededAsync(new LocatorScrollIntoViewIfNeededOptions { Timeout = deadline.Remaining });
        }

        return await page.EvaluateAsync<string>("() => JSON.stringify({ scrollX: window.scrollX, scrollY: window.scrollY })");
    }

    /// <summary>Waits for the element to be visible; not appearing in time is a timeout (408), not "not found".</summary>
    private static async Task<string?> WaitAsync(IPage page, WaitAction action, int timeout)
    {
        var target = action.Selector is { } selector ? page.Locator(selector).First : page.GetByText(action.Text!).First;
        await target.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = timeout });
        return null;
    }

    /// <summary>
    /// Runs a script as an expression (a function value is called with the arguments), or, when it does not parse
    /// as one (it uses <c>return</c>), as the body of an async function that sees the arguments as <c>args</c>.
    /// A syntax error means nothing ran, so trying the second form never runs a script twice. The page serializes
    /// the value with <c>JSON.stringify</c> (undefined reads as null), so the JSON is exactly the page's.
    /// </summary>
    private static async Task<string?> EvaluateAsync(IPage page, EvaluateAction action, int timeout, CancellationToken cancellationToken)
    {
        const string expressionForm = "async (__sgArgs) => { const __sgValue = (\n{0}\n); const __sgResult = typeof __sgValue === 'function' ? await __sgValue(__sgArgs === null ? undefined : JSON.parse(__sgArgs)) : await __sgValue; return JSON.stringify(__sgResult) ?? 'null'; }";
        const string bodyForm = "async (__sgArgs) => { const args = __sgArgs === null ? undefined : JSON.parse(__sgArgs); const __sgResult = await (async () => {\n{0}\n})(); return JSON.stringify(__sgResult) ?? 'null'; }";
        try
        {
            return await Evaluate(expressionForm, action.Script.TrimEnd().TrimEnd(';'));
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("SyntaxError", StringComparison.Ordinal))
        {
            return await Evaluate(bodyForm, action.Script);
        }

        Task<string> Evaluate(string form, string script) =>
            page.EvaluateAsync<string>(form.Replace("{0}", script, StringComparison.Ordinal), action.ArgsJson)
                .WaitAsync(TimeSpan.FromMilliseconds(timeout), cancellationToken);
    }

    private static async Task<string?> ScreenshotAsync(IPage page, ScreenshotAction action, Deadline deadline)
    {
        byte[] png;
        if (action.Selector is { } selector)
        {
            var element = await ElementAsync(page, selector, deadline);
            png = await element.ScreenshotAsync(new LocatorScreenshotOptions { Type = ScreenshotType.Png, Timeout = deadline.Remaining });
        }
        else
        {
            png = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, FullPage = action.FullPage, Timeout = deadline.Remaining });
        }

        return Json(new JsonObject { ["screenshot"] = Convert.ToBase64String(png) });
    }

    private async Task<string?> UploadAsync(IPage page, UploadFileAction action, ActionScope scope, Deadline deadline, CancellationToken cancellationToken)
    {
        var file = await artifacts.GetAsync(scope.FileScope, action.Filename, cancellationToken)
            ?? throw new ActionException(ActionStatus.Invalid, $"no file named '{action.Filename}' was uploaded to this session");
        var element = await ElementAsync(page, action.Selector, deadline);
        await element.SetInputFilesAsync(
            new FilePayload { Name = action.Filename, MimeType = file.ContentType, Buffer = file.Content },
            new LocatorSetInputFilesOptions { Timeout = deadline.Remaining });
        return Json(new JsonObject { ["filename"] = action.Filename, ["size"] = file.Info.Size });
    }

    private async Task<string?> MissingFileAsync(UploadFileAction action, Run run) =>
        await artifacts.GetAsync(run.Scope.FileScope, action.Filename, run.Token) is null
            ? $"no file named '{action.Filename}' was uploaded to this session (upload it first with POST …/files)"
            : null;

    private static async Task<string?> SelectAsync(IPage page, SelectAction action, Deadline deadline)
    {
        const string findOption = """
            (element, text) => {
                if (!(element instanceof HTMLSelectElement)) throw new Error('the element is not a <select>');
                const options = [...element.options];
                const match = options.find(o => o.label === text || o.text.trim() === text) ?? options.find(o => o.value === text);
                return match ? match.value : null;
            }
            """;
        var element = await ElementAsync(page, action.Selector, deadline);
        var value = await element.EvaluateAsync<string?>(findOption, action.Text, new LocatorEvaluateOptions { Timeout = deadline.Remaining })
            ?? throw new ActionException(ActionStatus.NotFound, $"the <select> matching '{action.Selector}' has no option labelled or valued '{action.Text}'");
        var selected = await element.SelectOptionAsync(new SelectOptionValue { Value = value }, new LocatorSelectOptionOptions { Timeout = deadline.Remaining });
        return Json(new JsonObject { ["selected"] = new JsonArray([.. selected.Select(v => (JsonNode?)v)]) });
    }

    private static async Task<string?> HoverAsync(IPage page, HoverAction action, Deadline deadline)
    {
        var element = await ElementAsync(page, action.Selector, deadline);
        await element.HoverAsync(new LocatorHoverOptions { Timeout = deadline.Remaining });
        return null;
    }

    private static async Task<string?> DragAndDropAsync(IPage page, DragAndDropAction action, Deadline deadline)
    {
        var source = await ElementAsync(page, action.Source, deadline);
        var target = await ElementAsync(page, action.Target, deadline);
        await source.DragToAsync(target, new LocatorDragToOptions { Timeout = deadline.Remaining });
        return null;
    }

    private static async Task<string?> PdfAsync(IPage page, PdfAction action, int timeout, CancellationToken cancellationToken)
    {
        if (PdfProblem(action) is { } problem)
        {
            throw new ActionException(ActionStatus.Invalid, problem);
        }

        var pdf = await page.PdfAsync(new PagePdfOptions
        {
            Format = action.Format ?? "Letter",
            Landscape = action.Landscape,
            PrintBackground = action.PrintBackground,
            Scale = (float?)action.Scale,
            Margin = action.Margin is { } m ? new Margin { Top = m.Top, Right = m.Right, Bottom = m.Bottom, Left = m.Left } : null,
        }).WaitAsync(TimeSpan.FromMilliseconds(timeout), cancellationToken);
        return Json(new JsonObject { ["pdf"] = Convert.ToBase64String(pdf) });
    }

    private static async Task<string?> ContentAsync(IPage page, int timeout, CancellationToken cancellationToken)
    {
        var html = await page.ContentAsync().WaitAsync(TimeSpan.FromMilliseconds(timeout), cancellationToken);
        return Json(new JsonObject { ["html"] = html, ["url"] = page.Url });
    }

    /// <summary>
    /// The first element matching <paramref name="selector"/> (CSS, or Playwright's <c>text=</c> / <c>xpath=</c> engines),
    /// once it is in the page; none appearing before the deadline is "not found".
    /// </summary>
    private static Task<ILocator> ElementAsync(IPage page, string selector, Deadline deadline) =>
        FirstAttachedAsync(page.Locator(selector), deadline, $"no element matches the selector '{Quote.Shorten(selector)}'");

    /// <summary>The first element showing <paramref name="text"/>, as <see cref="ElementAsync"/>.</summary>
    private static Task<ILocator> TextAsync(IPage page, string text, Deadline deadline) =>
        FirstAttachedAsync(page.GetByText(text), deadline, $"no element shows the text '{Quote.Shorten(text)}'");

    private static async Task<ILocator> FirstAttachedAsync(ILocator matches, Deadline deadline, string notFound)
    {
        var element = matches.First;
        try
        {
            await element.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = deadline.Remaining });
        }
        catch (TimeoutException)
        {
            throw new ActionException(ActionStatus.NotFound, notFound);
        }

        return element;
    }

    private static string? OutsideViewport(IPage page, Point point)
    {
        if (page.ViewportSize is not { } viewport)
        {
            return null;
        }

        return point.X < 0 || point.Y < 0 || point.X >= viewport.Width || point.Y >= viewport.Height
            ? $"coordinates ({point.X}, {point.Y}) are outside the {viewport.Width}x{viewport.Height} viewport"
            : null;
    }

    private static string? PdfProblem(PdfAction pdf)
    {
        if (pdf.Format is { } format && !PdfFormats.Contains(format))
        {
            return $"pdf format '{Quote.Shorten(format)}' is not one of {string.Join(", ", PdfFormats)}";
        }

        if (pdf.Scale is { } scale && (double.IsNaN(scale) || scale < 0.1 || scale > 2))
        {
            return "pdf scale must be between 0.1 and 2";
        }

        string?[] margins = pdf.Margin is { } m ? [m.Top, m.Right, m.Bottom, m.Left] : [];
        return margins.FirstOrDefault(v => v is not null && !IsCssLength(v)) is { } bad
            ? $"pdf margin '{Quote.Shorten(bad)}' is not a length such as 10px, 1cm, 5mm or 0.5in"
            : null;
    }

    private static bool IsCssLength(string value)
    {
        var unit = value.Length >= 2 && char.IsLetter(value[^1]) ? value[^2..] : "";
        var number = value[..^unit.Length];
        return unit is "" or "px" or "in" or "cm" or "mm"
            && double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n is >= 0 and < 10_000;
    }

    private static string Json(JsonNode node) => node.ToJsonString();

    private static bool IsTargetClosed(PlaywrightException ex) =>
        ex.Message.Contains("Target page, context or browser has been closed", StringComparison.Ordinal)
        || ex.Message.Contains("Target closed", StringComparison.Ordinal);

    private static bool IsBadSelector(PlaywrightException ex) =>
        ex.Message.Contains("is not a valid selector", StringComparison.Ordinal)
        || ex.Message.Contains("Unexpected token", StringComparison.Ordinal)
        || ex.Message.Contains("Unknown engine", StringComparison.Ordinal);

    /// <summary>The first line of Playwright's message, without its call log.</summary>
    internal static string Describe(PlaywrightException ex)
    {
        var line = PlaywrightErrors.FirstLine(ex.Message);
        return line.Length <= 1000 ? line : line[..1000] + "…";
    }

    private static KeyValuePair<Type, Handler> On<TAction>(Step<TAction> run, Step<TAction>? check = null, bool captures = false)
        where TAction : BrowserAction =>
        new(typeof(TAction), new Handler(
            (runner, action, context) => run(runner, (TAction)action, context),
            check is null ? null : (runner, action, context) => check(runner, (TAction)action, context),
            captures));

    /// <summary>One step of an action of <typeparamref name="TAction"/> (its run or its check): a value as JSON, or a problem.</summary>
    private delegate Task<string?> Step<in TAction>(ActionRunner runner, TAction action, Run run) where TAction : BrowserAction;

    /// <summary>An action's implementation: its run, its check (null: none), whether its value is a capture.</summary>
    private sealed record Handler(Step<BrowserAction> RunAsync, Step<BrowserAction>? CheckAsync, bool Captures);

    /// <summary>What an action's run (or check) works with: the page, the scope, the timeout, what is left of it, the token that interrupts it.</summary>
    private readonly record struct Run(IPage Page, ActionScope Scope, int Timeout, Deadline Deadline, CancellationToken Token)
    {
        /// <summary>A run whose timeout starts now (for a check, which runs before the action is queued).</summary>
        public static Run Of(IPage page, ActionScope scope, int timeout, CancellationToken token) =>
            new(page, scope, timeout, new Deadline(Stopwatch.StartNew(), timeout), token);
    }

    /// <summary>What is left of an action's timeout, for the steps of a multi-step action.</summary>
    private readonly struct Deadline(Stopwatch clock, int timeoutMs)
    {
        public float Remaining => Math.Max(1, timeoutMs - (float)clock.Elapsed.TotalMilliseconds);
    }
}
