using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using SessionGrid.Contracts.Actions;

namespace SessionGrid.Api.OpenApi;

// The action vocabulary's JSON form (ActionJson) as the OpenAPI document shows it: one schema per action type, told
// apart by "type". Schema only: ActionJson parses actions from JSON itself. Fields are camelCase; their snake_case
// spellings are accepted too. Each schema names the record it documents (ActionSchema<TAction>); the action registry
// gives its "type" (ActionSchemaTypes).

[Description("One browser action; every action takes an optional timeoutMs (default 30000, at most 120000).")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
public abstract record ActionSchema([property: Description("Milliseconds, 1 to 120000")] int? TimeoutMs = null);

/// <summary>The schema of the fields of the action <typeparamref name="TAction"/> carries.</summary>
public abstract record ActionSchema<TAction>(int? TimeoutMs) : ActionSchema(TimeoutMs)
    where TAction : BrowserAction;

public sealed record PointSchema(double X, double Y);

[Description("Opens a URL (http, https, data: or about:blank; never file:, chrome: or a cloud metadata address).")]
public sealed record NavigateSchema(
    string Url,
    [property: Description("load (default), domcontentloaded or networkidle")] string? WaitUntil = null,
    int? TimeoutMs = null) : ActionSchema<NavigateAction>(TimeoutMs);

[Description("Clicks the first element matching selector, or a viewport point (exactly one).")]
public sealed record ClickSchema(string? Selector = null, PointSchema? Coordinates = null, int? TimeoutMs = null) : ActionSchema<ClickAction>(TimeoutMs);

[Description("Types text key by key into an editable element. Result: charactersTyped.")]
public sealed record TypeSchema(string Selector, string Text, int? TimeoutMs = null) : ActionSchema<TypeAction>(TimeoutMs);

[Description("Presses a key (Enter, Control+A …), on an element or the focused one.")]
public sealed record PressSchema(string Key, string? Selector = null, int? TimeoutMs = null) : ActionSchema<PressAction>(TimeoutMs);

[Description("Scrolls an element into view, the page to a point, or to the first element showing a text (exactly one). Result: scrollX, scrollY.")]
public sealed record ScrollSchema(string? Selector = null, PointSchema? Coordinates = null, string? Text = null, int? TimeoutMs = null) : ActionSchema<ScrollAction>(TimeoutMs);

[Description("Waits until an element matching selector, or showing text, is visible (exactly one).")]
public sealed record WaitSchema(string? Selector = null, string? Text = null, int? TimeoutMs = null) : ActionSchema<WaitAction>(TimeoutMs);

[Description("Runs JavaScript: an expression, a function body with return (sees args), or a function of args. Result: value.")]
public sealed record EvaluateSchema(
    [property: Description("The code (the Task API calls it js)")] string Script,
    JsonElement? Args = null,
    int? TimeoutMs = null) : ActionSchema<EvaluateAction>(TimeoutMs);

[Description("A PNG of the viewport, the whole page or one element. Result: screenshot (base64).")]
public sealed record ScreenshotSchema(string? Selector = null, bool? FullPage = null, int? TimeoutMs = null) : ActionSchema<ScreenshotAction>(TimeoutMs);

[Description("Sets a file input to a file uploaded to the session before. Result: filename, size.")]
public sealed record UploadFileSchema(string Selector, string Filename, int? TimeoutMs = null) : ActionSchema<UploadFileAction>(TimeoutMs);

[Description("Selects the option of a <select> by its label (else its value). Result: selected.")]
public sealed record SelectSchema(string Selector, string Text, int? TimeoutMs = null) : ActionSchema<SelectAction>(TimeoutMs);

public sealed record HoverSchema(string Selector, int? TimeoutMs = null) : ActionSchema<HoverAction>(TimeoutMs);

[Description("Drags the first element matching source onto the first element matching target.")]
public sealed record DragAndDropSchema(string Source, string Target, int? TimeoutMs = null) : ActionSchema<DragAndDropAction>(TimeoutMs);

[Description("Renders the page as a PDF. Result: pdf (base64).")]
public sealed record PdfSchema(
    [property: Description("Letter (default), Legal, Tabloid, Ledger, A0 to A6")] string? Format = null,
    bool? Landscape = null,
    PdfMarginSchema? Margin = null,
    bool? PrintBackground = null,
    [property: Description("0.1 to 2")] double? Scale = null,
    int? TimeoutMs = null) : ActionSchema<PdfAction>(TimeoutMs);

[Description("CSS lengths (1cm, 10px, 0.5in) or numbers of pixels.")]
public sealed record PdfMarginSchema(JsonElement? Top = null, JsonElement? Right = null, JsonElement? Bottom = null, JsonElement? Left = null);

[Description("The page's HTML and URL. Result: html, url.")]
public sealed record ContentSchema(int? TimeoutMs = null) : ActionSchema<ContentAction>(TimeoutMs);

[Description("Logs the page in with a vault credential (vault), by waiting for a person (prompt_user), or both (vault_then_prompt). No secret is ever returned.")]
public sealed record AuthenticateSchema(
    [property: Description("vault, prompt_user or vault_then_prompt")] string Mode,
    [property: Description("The vault modes: the id POST /api/v1/browser/credentials answered")] string? CredentialId = null,
    LoginSelectorsSchema? Selectors = null,
    SuccessConditionSchema? Success = null,
    [property: Description("prompt_user and vault_then_prompt: how long to wait for the person")] int? PauseTimeoutMs = null,
    int? TimeoutMs = null) : ActionSchema<AuthenticateAction>(TimeoutMs);

public sealed record LoginSelectorsSchema(string Username, string Password, string? Submit = null, string? Totp = null);

public sealed record SuccessConditionSchema(
    [property: Description("url, selector, text or networkIdle")] string Condition,
    string? Value = null,
    int? TimeoutMs = null);
