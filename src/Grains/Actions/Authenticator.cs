using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Credentials;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// The <c>authenticate</c> action. Vault mode: dismiss consent banners, check the page's host against the credential's
/// domains (a mismatch types nothing), open the sealed credential here in this silo, fill username, password and a
/// TOTP code, submit, and wait for the success condition. Prompt mode: type nothing and wait for a person to log in
/// through the live view (whose link the result carries). Vault-then-prompt: the vault, then a person when the vault
/// did not get through.
/// Every failure is an <see cref="ActionException"/> whose message starts with its reason (<c>domain_mismatch: …</c>)
/// and whose value is <c>{success: false, reason}</c>. No secret reaches a result, a message or a log line.
/// </summary>
public sealed partial class Authenticator(
    IGrainFactory grains,
    VaultCipher cipher,
    IOptions<VaultOptions> vaultOptions,
    IOptions<ActionOptions> actionOptions,
    TimeProvider clock,
    ILogger<Authenticator> log)
{
    public const int DefaultPauseTimeoutMs = 300_000;

    private readonly IGrainFactory _grains = grains;
    private readonly VaultCipher _cipher = cipher;
    private readonly VaultOptions _vault = vaultOptions.Value;
    private readonly ActionOptions _actions = actionOptions.Value;
    private readonly TimeProvider _clock = clock;

    /// <summary>A TOTP code with less validity left than this is not typed; the next one is.</summary>
    private static readonly TimeSpan MinTotpValidity = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Null when the action's limits fit this server (checked before it is queued), else why not.</summary>
    public string? Problem(AuthenticateAction action)
    {
        var maxTimeout = _actions.MaxTimeoutMs;
        var maxPause = _vault.MaxPauseTimeoutMs;
        if (action.Mode != AuthenticateMode.PromptUser && (action.CredentialId is null || action.Selectors is null))
        {
            return "authenticate in a vault mode needs credentialId and selectors";
        }

        if (action.Mode != AuthenticateMode.Vault && action.Success is null)
        {
            return "authenticate with a person logging in needs a success condition";
        }

        if (action.Success?.TimeoutMs is { } ms && (ms < 1 || ms > maxTimeout))
        {
            return $"success.timeoutMs must be between 1 and {maxTimeout} (got {ms})";
        }

        return action.PauseTimeoutMs is { } pause && (pause < 1 || pause > maxPause)
            ? $"pauseTimeoutMs must be between 1 and {maxPause} (got {pause})"
            : null;
    }

    /// <summary>Runs the action; its value on success, an <see cref="ActionException"/> otherwise.</summary>
    /// <param name="stepTimeoutMs">The action's own timeout: how long finding, filling and submitting the form may take.</param>
    public async Task<string> RunAsync(IPage page, AuthenticateAction action, ActionScope scope, int stepTimeoutMs, CancellationToken cancellationToken)
    {
        var run = new Run(this, page, action, scope, stepTimeoutMs, cancellationToken);
        try
        {
            var value = await run.ExecuteAsync();
            LogOutcome(scope.FileScope, action.Mode, action.CredentialId, "success", run.ElapsedMs);
            return value;
        }
        catch (ActionException ex)
        {
            LogOutcome(scope.FileScope, action.Mode, action.CredentialId, ex.Message.Split(':', 2)[0], run.ElapsedMs);
            throw;
        }
    }

    /// <summary>How a wait ended: the success condition held, the other thing it watched for appeared, or time ran out.</summary>
    private enum Waited
    {
        Succeeded,
        Other,
        TimedOut,
    }

    /// <summary>One run of the action: its page, its clock, and the opened credential while it types.</summary>
    private sealed class Run(Authenticator owner, IPage page, AuthenticateAction action, ActionScope scope, int stepTimeoutMs, CancellationToken cancellationToken)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private bool _prompted;
        private string? _liveUrl;

        public long ElapsedMs => _clock.ElapsedMilliseconds;

        private SuccessCondition Success => action.Success ?? new SuccessCondition(SuccessKind.NetworkIdle, null, null);

        private int SuccessTimeoutMs => Success.TimeoutMs ?? owner._actions.DefaultTimeoutMs;

        private LoginSelectors Selectors => action.Selectors!;

        public async Task<string> ExecuteAsync()
        {
            await CheckSuccessSelectorAsync();
            if (action.Mode == AuthenticateMode.PromptUser)
            {
                return await PromptAsync();
            }

            var credential = await owner._grains.GetGrain<ICredentialGrain>(CredentialKey.Of(scope.Owner, action.CredentialId!)).GetSealedAsync()
                ?? throw Fail(ActionStatus.NotFound, "credential_not_found", $"this API key has no credential '{action.CredentialId}'; nothing was typed");
            var banners = await ConsentBanners.DismissAsync(page, owner._vault.ConsentTimeoutMs, cancellationToken);
            if (banners.Count > 0)
            {
                owner.LogConsentDismissed(scope.FileScope, banners.Count, CredentialRules.HostOf(page.Url));
            }

            if (!CredentialRules.Allows(credential.Info.Domains, page.Url))
            {
                return await PromptOrFailAsync(DomainMismatch(credential));
            }

            var username = await FieldAsync(Selectors.Username, "username");
            var password = await FieldAsync(Selectors.Password, "password");
            var submit = Selectors.Submit is { } submitSelector ? await FieldAsync(submitSelector, "submit") : null;
            var secret = Open(credential);
            if (Selectors.Totp is not null && secret.TotpSecret is null)
            {
                throw Fail(ActionStatus.Invalid, "no_totp_secret", $"selectors.totp is set but credential '{credential.Info.Id}' has no totpSecret; nothing was typed");
            }

            // The page may have moved on while its fields were looked for: its host is checked again right before typing.
            if (!CredentialRules.Allows(credential.Info.Domains, page.Url))
            {
                return await PromptOrFailAsync(DomainMismatch(credential));
            }

            var totpTyped = await FillAndSubmitAsync(username, password, submit, secret);
            if (await WaitAfterSubmitAsync(totpTyped, secret))
            {
                return Result(success: true, "success");
            }

            await ClearSecretFieldsAsync();
            return await PromptOrFailAsync(Fail(ActionStatus.TimedOut, "timeout",
                $"the success condition ({Describe(Success)}) did not hold within {SuccessTimeoutMs} ms of submitting the login form"));
        }

        /// <summary>Vault-then-prompt hands a login the vault could not finish to a person; vault mode fails with <paramref name="failure"/>.</summary>
        private async Task<string> PromptOrFailAsync(ActionException failure) =>
            action.Mode == AuthenticateMode.VaultThenPrompt ? await PromptAsync() : throw failure;

        /// <summary>Fills username, password and (when its field is there) the TOTP code, then submits; whether the TOTP was typed.</summary>
        private async Task<bool> FillAndSubmitAsync(ILocator username, ILocator password, ILocator? submit, CredentialSecret secret)
        {
            var deadline = Stopwatch.StartNew();
            float Remaining() => Math.Max(1, stepTimeoutMs - (float)deadline.Elapsed.TotalMilliseconds);
            var totpTyped = false;
            await StepAsync("fill_failed", "the login form could not be filled", async () =>
            {
                await username.FillAsync(secret.Username, new LocatorFillOptions { Timeout = Remaining() });
                await password.FillAsync(secret.Password, new LocatorFillOptions { Timeout = Remaining() });
                if (Selectors.Totp is { } totp && await page.Locator(totp).First.IsVisibleAsync())
                {
                    await FillTotpAsync(page.Locator(totp).First, secret.TotpSecret!, Remaining());
                    totpTyped = true;
                }
            });
            await StepAsync("submit_failed", "the login form could not be submitted", () => submit is not null
                ? submit.ClickAsync(new LocatorClickOptions { Timeout = Remaining() })
                : password.PressAsync("Enter", new LocatorPressOptions { Timeout = Remaining() }));
            return totpTyped;
        }

        /// <summary>
        /// Waits for the success condition after submitting. A TOTP field that was not on the form may come on the next
        /// page (a two-step login): when it appears first, the code is typed and submitted there, within the same time.
        /// </summary>
        private async Task<bool> WaitAfterSubmitAsync(bool totpTyped, CredentialSecret secret)
        {
            if (Selectors.Totp is not { } totpSelector || totpTyped)
            {
                return await WaitForSuccessAsync(SuccessTimeoutMs);
            }

            var waited = Stopwatch.StartNew();
            var totp = page.Locator(totpSelector).First;
            switch (await PollAsync(SuccessTimeoutMs, () => VisibleAsync(totp)))
            {
                case Waited.Succeeded:
                    return true;
                case Waited.TimedOut:
                    return false;
            }

            await StepAsync("fill_failed", "the TOTP field could not be filled", () => FillTotpAsync(totp, secret.TotpSecret!, stepTimeoutMs));
            var submit = Selectors.Submit is { } submitSelector ? page.Locator(submitSelector).First : null;
            await StepAsync("submit_failed", "the TOTP step could not be submitted", async () =>
            {
                if (submit is not null && await submit.IsVisibleAsync())
                {
                    await submit.ClickAsync(new LocatorClickOptions { Timeout = stepTimeoutMs });
                }
                else
                {
                    await totp.PressAsync("Enter", new LocatorPressOptions { Timeout = stepTimeoutMs });
                }
            });
            return await WaitForSuccessAsync(Math.Max(1, SuccessTimeoutMs - (int)waited.ElapsedMilliseconds));
        }

        /// <summary>Types the current TOTP code, or the next one when the current expires too soon to be checked.</summary>
        private async Task FillTotpAsync(ILocator field, string totpSecret, float timeoutMs)
        {
            var now = owner._clock.GetUtcNow();
            var left = Totp.RemainingInStep(now);
            if (left < MinTotpValidity)
            {
                await Task.Delay(left + TimeSpan.FromMilliseconds(50), cancellationToken);
                now = owner._clock.GetUtcNow();
            }

            await field.FillAsync(Totp.Code(totpSecret, now), new LocatorFillOptions { Timeout = timeoutMs });
        }

        /// <summary>Waits for a person: nothing is typed; the success condition ends the wait, <c>pauseTimeoutMs</c> fails it.</summary>
        private async Task<string> PromptAsync()
        {
            _prompted = true;
            _liveUrl = scope.OfferLiveView is { } offer ? await offer(cancellationToken) : null;
            var pause = action.PauseTimeoutMs ?? DefaultPauseTimeoutMs;
            owner.LogWaitingForPerson(scope.FileScope, pause);
            return await WaitForSuccessAsync(pause)
                ? Result(success: true, "success")
                : throw Fail(ActionStatus.TimedOut, "pause_timeout", $"nobody completed the login within pauseTimeoutMs ({pause} ms; success condition {Describe(Success)})");
        }

        /// <summary>Whether the success condition held within <paramref name="timeoutMs"/>.</summary>
        private async Task<bool> WaitForSuccessAsync(int timeoutMs)
        {
            if (Success.Condition != SuccessKind.NetworkIdle)
            {
                return await PollAsync(timeoutMs, () => Task.FromResult(false)) == Waited.Succeeded;
            }

            try
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = timeoutMs }).WaitAsync(cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        /// <summary>Polls until the success condition holds, <paramref name="other"/> holds, or <paramref name="timeoutMs"/> is over.</summary>
        private async Task<Waited> PollAsync(int timeoutMs, Func<Task<bool>> other)
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await SucceededAsync())
                {
                    return Waited.Succeeded;
                }

                if (await other())
                {
                    return Waited.Other;
                }

                var left = timeoutMs - waited.Elapsed.TotalMilliseconds;
                if (left <= 0)
                {
                    return Waited.TimedOut;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(left, PollInterval.TotalMilliseconds)), cancellationToken);
            }
        }

        private Task<bool> SucceededAsync() => Success switch
        {
            { Condition: SuccessKind.Url, Value: { } url } => Task.FromResult(UrlMatches(page.Url, url)),
            { Condition: SuccessKind.Selector, Value: { } selector } => VisibleAsync(page.Locator(selector).First),
            { Condition: SuccessKind.Text, Value: { } text } => VisibleAsync(page.GetByText(text).First),
            _ => Task.FromResult(false),
        };

        private async Task<bool> VisibleAsync(ILocator element)
        {
            try
            {
                return await element.IsVisibleAsync();
            }
            catch (PlaywrightException) when (!page.IsClosed)
            {
                // Mid-navigation: the document went away between looking and seeing; the next poll asks again.
                return false;
            }
        }

        /// <summary>A success selector that is not a selector fails now (400), before anything is typed or waited for.</summary>
        private async Task CheckSuccessSelectorAsync()
        {
            if (Success is { Condition: SuccessKind.Selector, Value: { } selector })
            {
                await page.Locator(selector).CountAsync();
            }
        }

        /// <summary>The form field <paramref name="selector"/> names, once it is in the page; not there within the action's timeout is 404.</summary>
        private async Task<ILocator> FieldAsync(string selector, string name)
        {
            var field = page.Locator(selector).First;
            try
            {
                await field.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = Math.Max(1, stepTimeoutMs - _clock.ElapsedMilliseconds) });
                return field;
            }
            catch (TimeoutException)
            {
                throw Fail(ActionStatus.NotFound, "field_not_found", $"no element matches selectors.{name} '{Quote.Shorten(selector)}'; nothing was typed");
            }
        }

        private CredentialSecret Open(SealedCredential credential)
        {
            try
            {
                return owner._cipher.Open(scope.Owner, credential);
            }
            catch (VaultKeyException ex)
            {
                throw Fail(ActionStatus.Failed, "credential_unreadable", ex.Message + "; nothing was typed");
            }
        }

        /// <summary>
        /// One step that types or submits. Its failure is told by <paramref name="reason"/> and <paramref name="what"/>
        /// only: Playwright's message for a fill can quote the text it was filling.
        /// </summary>
        private async Task StepAsync(string reason, string what, Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException && !page.IsClosed)
            {
                await ClearSecretFieldsAsync();
                throw Fail(ex is TimeoutException ? ActionStatus.TimedOut : ActionStatus.Failed, reason, what);
            }
        }

        /// <summary>Best effort: empties the password and TOTP fields a failed login left filled, so later actions cannot read them.</summary>
        private async Task ClearSecretFieldsAsync()
        {
            foreach (var selector in new[] { Selectors.Password, Selectors.Totp }.OfType<string>())
            {
                try
                {
                    var field = page.Locator(selector).First;
                    if (await field.IsEditableAsync(new LocatorIsEditableOptions { Timeout = 500 }))
                    {
                        await field.FillAsync("", new LocatorFillOptions { Timeout = 500 });
                    }
                }
                catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
                {
                    // The field went away with its page: nothing is left to clear.
                }
            }
        }

        private ActionException DomainMismatch(SealedCredential credential) => Fail(ActionStatus.Failed, "domain_mismatch",
            $"the page's host '{CredentialRules.HostOf(page.Url)}' is not one of the domains of credential '{credential.Info.Id}' ({string.Join(", ", credential.Info.Domains)}); nothing was typed");

        private string Result(bool success, string reason)
        {
            var result = new JsonObject { ["success"] = success, ["reason"] = reason };
            if (_prompted)
            {
                result["liveUrl"] = _liveUrl;
            }

            return result.ToJsonString();
        }

        private ActionException Fail(ActionStatus status, string reason, string detail) =>
            new(status, $"{reason}: {detail}", Result(success: false, reason));
    }

    /// <summary>Whether a page URL meets a <c>url</c> success condition: contains the value, or matches it as a glob (<c>*</c>, <c>**</c>) when it has a <c>*</c>.</summary>
    public static bool UrlMatches(string url, string condition) =>
        condition.Contains('*', StringComparison.Ordinal)
            ? url != "about:blank" && new UrlGlob([condition]).Allows(url)
            : url.Contains(condition, StringComparison.Ordinal);

    private static string Describe(SuccessCondition success) => success.Condition switch
    {
        SuccessKind.NetworkIdle => "networkIdle",
        var kind => $"{kind.ToString().ToLowerInvariant()} '{Quote.Shorten(success.Value ?? "")}'",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: authenticate ({Mode}, credential {CredentialId}) ended {Reason} after {ElapsedMs} ms")]
    private partial void LogOutcome(string sessionId, AuthenticateMode mode, string? credentialId, string reason, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: dismissed {Count} consent banner(s) on {Host}")]
    private partial void LogConsentDismissed(string sessionId, int count, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: authenticate waits up to {PauseMs} ms for a person to log in")]
    private partial void LogWaitingForPerson(string sessionId, int pauseMs);
}
