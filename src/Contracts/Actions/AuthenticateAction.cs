namespace SessionGrid.Contracts.Actions;

/// <summary>Who fills in the login form of an <see cref="AuthenticateAction"/>.</summary>
[GenerateSerializer, Alias("sg.AuthenticateMode")]
public enum AuthenticateMode
{
    /// <summary>The engine types a vault credential into the form.</summary>
    Vault = 0,
    /// <summary>A person logs in through the live view; the engine types nothing and waits.</summary>
    PromptUser = 1,
    /// <summary>The vault first; when that does not reach the success condition (or the domain does not match), a person.</summary>
    VaultThenPrompt = 2,
}

/// <summary>How an <see cref="AuthenticateAction"/> knows the login worked.</summary>
[GenerateSerializer, Alias("sg.SuccessKind")]
public enum SuccessKind
{
    /// <summary>The page's URL contains the value, or matches it as a glob when it has a <c>*</c>.</summary>
    Url = 0,
    /// <summary>An element matching the value is visible.</summary>
    Selector = 1,
    /// <summary>The value is visible as text on the page.</summary>
    Text = 2,
    /// <summary>The page reached the network-idle load state.</summary>
    NetworkIdle = 3,
}

/// <summary>The CSS (or Playwright) selectors of a login form's fields.</summary>
[GenerateSerializer, Alias("sg.LoginSelectors")]
public sealed record LoginSelectors(
    [property: Id(0)] string Username,
    [property: Id(1)] string Password,
    [property: Id(2)] string? Submit,
    [property: Id(3)] string? Totp);

/// <summary>The success condition of a login and how long to wait for it (null: the default).</summary>
[GenerateSerializer, Alias("sg.SuccessCondition")]
public sealed record SuccessCondition(
    [property: Id(0)] SuccessKind Condition,
    [property: Id(1)] string? Value,
    [property: Id(2)] int? TimeoutMs);

/// <summary>
/// Logs the page in: with a vault credential (named by id, never by its secrets), by waiting for a person, or the
/// vault then a person. <see cref="Success"/> null means "network idle after submitting" (vault mode only).
/// </summary>
[GenerateSerializer, Alias("sg.AuthenticateAction")]
public sealed record AuthenticateAction(
    [property: Id(0)] AuthenticateMode Mode,
    [property: Id(1)] string? CredentialId,
    [property: Id(2)] LoginSelectors? Selectors,
    [property: Id(3)] SuccessCondition? Success,
    [property: Id(4)] int? PauseTimeoutMs) : BrowserAction;
