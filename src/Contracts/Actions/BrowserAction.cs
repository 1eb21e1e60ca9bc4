namespace SessionGrid.Contracts.Actions;

/// <summary>
/// The engine's one action vocabulary. Every dialect maps its wire shape onto these records and the
/// action runner implements each once; <see cref="ActionRegistry"/> names each record. <see cref="TimeoutMs"/>
/// overrides the default per-action timeout.
/// </summary>
[GenerateSerializer, Alias("sg.BrowserAction")]
public abstract record BrowserAction
{
    [Id(0)] public int? TimeoutMs { get; init; }

    /// <summary>The action's name in the engine vocabulary, from its <see cref="ActionRegistry"/> entry.</summary>
    public string Type => ActionRegistry.Of(GetType()).Name;
}

/// <summary>When a navigation counts as finished.</summary>
[GenerateSerializer, Alias("sg.WaitUntil")]
public enum WaitUntil
{
    Load = 0,
    DomContentLoaded = 1,
    NetworkIdle = 2,
}

/// <summary>A point in CSS pixels: relative to the viewport for a click, to the document for a scroll.</summary>
[GenerateSerializer, Alias("sg.Point")]
public sealed record Point([property: Id(0)] double X, [property: Id(1)] double Y);

[GenerateSerializer, Alias("sg.NavigateAction")]
public sealed record NavigateAction([property: Id(0)] string Url, [property: Id(1)] WaitUntil WaitUntil = WaitUntil.Load) : BrowserAction;

/// <summary>Clicks the first element matching <see cref="Selector"/>, or the viewport point <see cref="Coordinates"/> (exactly one is set).</summary>
[GenerateSerializer, Alias("sg.ClickAction")]
public sealed record ClickAction([property: Id(0)] string? Selector, [property: Id(1)] Point? Coordinates) : BrowserAction;

/// <summary>Types <see cref="Text"/> key by key into the element matching <see cref="Selector"/>.</summary>
[GenerateSerializer, Alias("sg.TypeAction")]
public sealed record TypeAction([property: Id(0)] string Selector, [property: Id(1)] string Text) : BrowserAction;

/// <summary>Presses a key (Playwright key names: <c>Enter</c>, <c>Control+A</c>…), on an element or the focused one.</summary>
[GenerateSerializer, Alias("sg.PressAction")]
public sealed record PressAction([property: Id(0)] string Key, [property: Id(1)] string? Selector) : BrowserAction;

/// <summary>Scrolls an element into view, the page to a document point, or the first element showing a text (exactly one is set).</summary>
[GenerateSerializer, Alias("sg.ScrollAction")]
public sealed record ScrollAction([property: Id(0)] string? Selector, [property: Id(1)] Point? Coordinates, [property: Id(2)] string? Text) : BrowserAction;

/// <summary>Waits until an element matching <see cref="Selector"/>, or one showing <see cref="Text"/>, is visible (exactly one is set).</summary>
[GenerateSerializer, Alias("sg.WaitAction")]
public sealed record WaitAction([property: Id(0)] string? Selector, [property: Id(1)] string? Text) : BrowserAction;

/// <summary>Runs JavaScript in the page: an expression, a function body using <c>return</c>, or a function of <see cref="ArgsJson"/>.</summary>
[GenerateSerializer, Alias("sg.EvaluateAction")]
public sealed record EvaluateAction([property: Id(0)] string Script, [property: Id(1)] string? ArgsJson = null) : BrowserAction;

/// <summary>A PNG of the viewport, the whole page, or one element.</summary>
[GenerateSerializer, Alias("sg.ScreenshotAction")]
public sealed record ScreenshotAction([property: Id(0)] string? Selector, [property: Id(1)] bool FullPage) : BrowserAction;

/// <summary>Sets a file input to a file uploaded to the session before, named by its file name.</summary>
[GenerateSerializer, Alias("sg.UploadFileAction")]
public sealed record UploadFileAction([property: Id(0)] string Selector, [property: Id(1)] string Filename) : BrowserAction;

/// <summary>Selects the option of a <c>&lt;select&gt;</c> whose label (or else value) is <see cref="Text"/>.</summary>
[GenerateSerializer, Alias("sg.SelectAction")]
public sealed record SelectAction([property: Id(0)] string Selector, [property: Id(1)] string Text) : BrowserAction;

[GenerateSerializer, Alias("sg.HoverAction")]
public sealed record HoverAction([property: Id(0)] string Selector) : BrowserAction;

/// <summary>Drags the first element matching <see cref="Source"/> onto the first matching <see cref="Target"/> (mouse and HTML5 drag events).</summary>
[GenerateSerializer, Alias("sg.DragAndDropAction")]
public sealed record DragAndDropAction([property: Id(0)] string Source, [property: Id(1)] string Target) : BrowserAction;

/// <summary>Page margins as CSS lengths (<c>1cm</c>, <c>10px</c>, <c>0.5in</c>).</summary>
[GenerateSerializer, Alias("sg.PdfMargin")]
public sealed record PdfMargin(
    [property: Id(0)] string? Top,
    [property: Id(1)] string? Right,
    [property: Id(2)] string? Bottom,
    [property: Id(3)] string? Left);

/// <summary>Renders the page as a PDF.</summary>
[GenerateSerializer, Alias("sg.PdfAction")]
public sealed record PdfAction(
    [property: Id(0)] string? Format,
    [property: Id(1)] bool Landscape,
    [property: Id(2)] PdfMargin? Margin,
    [property: Id(3)] bool PrintBackground,
    [property: Id(4)] double? Scale) : BrowserAction;

/// <summary>The page's HTML and URL.</summary>
[GenerateSerializer, Alias("sg.ContentAction")]
public sealed record ContentAction : BrowserAction;
