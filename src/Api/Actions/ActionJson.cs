using System.Collections.Frozen;
using System.Text.Json;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Actions;

namespace SessionGrid.Api.Actions;

/// <summary>
/// The action vocabulary's JSON form, shared by every dialect that sends actions as objects:
/// <c>{"type": "click", "selector": "#go"}</c>. Field names are camelCase, and their snake_case spellings are
/// accepted too (<c>fullPage</c> / <c>full_page</c>); an explicit null is the same as an absent field. Parsing checks
/// shape only (required fields, types, conflicts); limits that depend on the session are checked by the session.
/// </summary>
public static partial class ActionJson
{
    public const int MaxSelectorLength = 4096;

    /// <summary>The action types, by their wire names: the <see cref="ActionRegistry"/>'s, in its order.</summary>
    public static readonly IReadOnlyList<string> Types = [.. ActionRegistry.All.Select(entry => entry.Name)];

    /// <summary>How each action record is read from its fields, by record type (the registry names the record).</summary>
    private static readonly FrozenDictionary<Type, Func<Fields, BrowserAction>> Readers = new[]
    {
        Reader(f => new NavigateAction(f.Url("url"), f.WaitUntil("waitUntil"))),
        Reader(Click),
        Reader(f => new TypeAction(f.Selector("selector", required: true)!, f.Required("text"))),
        Reader(f => new PressAction(f.NonEmpty("key"), f.Selector("selector", required: false))),
        Reader(Scroll),
        Reader(Wait),
        Reader(f => new EvaluateAction(f.Script(), f.Raw("args"))),
        Reader(f => new ScreenshotAction(f.Selector("selector", required: false), f.Bool("fullPage") ?? false)),
        Reader(f => new UploadFileAction(f.Selector("selector", required: true)!, f.NonEmpty("filename"))),
        Reader(f => new SelectAction(f.Selector("selector", required: true)!, f.Required("text"))),
        Reader(f => new HoverAction(f.Selector("selector", required: true)!)),
        Reader(f => new DragAndDropAction(f.Selector("source", required: true)!, f.Selector("target", required: true)!)),
        Reader(Pdf),
        Reader(_ => new ContentAction()),
        Reader(Authenticate),
    }.ToFrozenDictionary();

    public readonly record struct Parsed(BrowserAction? Action, string? Error)
    {
        public static Parsed Fail(string error) => new(null, error);
    }

    /// <summary>An action object with its <c>type</c> field.</summary>
    public static Parsed Parse(JsonElement action)
    {
        if (action.ValueKind != JsonValueKind.Object)
        {
            return Parsed.Fail("an action must be a JSON object with a type");
        }

        var fields = new Fields(action);
        return fields.String("type") switch
        {
            { Error: { } error } => Parsed.Fail(error),
            { Value: null } => Parsed.Fail($"type is required: one of {string.Join(", ", Types)}"),
            { Value: var type } => Parse(type, action),
        };
    }

    /// <summary>
    /// The fields of an action of <paramref name="type"/> (an object, or null/absent for none). Errors start with
    /// <paramref name="label"/> (the action's name as the client sent it), else the type.
    /// </summary>
    public static Parsed Parse(string type, JsonElement input, string? label = null)
    {
        label ??= type;
        if (input.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            return Parsed.Fail($"{label}: the action's fields must be a JSON object");
        }

        var f = new Fields(input);
        try
        {
            var read = ActionRegistry.Find(type) is { } entry ? Readers.GetValueOrDefault(entry.Record) : null;
            var action = read?.Invoke(f)
                ?? throw new FieldException($"unknown action type '{Text.Shorten(type)}': expected one of {string.Join(", ", Types)}");
            return new Parsed(action with { TimeoutMs = f.Int("timeoutMs") }, null);
        }
        catch (FieldException ex)
        {
            return Parsed.Fail($"{label}: {ex.Message}");
        }
    }

    /// <summary>The options of a PDF (the <c>pdf</c> object of a task, or the body of the pdf endpoint).</summary>
    public static Parsed ParsePdf(JsonElement options) => Parse("pdf", options);

    /// <summary>
    /// A navigation from an object holding <c>url</c> and <c>waitUntil</c> (a task body that starts with one).
    /// </summary>
    public static Parsed ParseNavigation(JsonElement holder) => Parse("navigate", holder);

    /// <summary>The options of a final screenshot: <c>{fullPage?, selector?}</c>.</summary>
    public static Parsed ParseScreenshot(JsonElement options) => Parse("screenshot", options);

    /// <summary>Parses <c>domcontentloaded|load|networkidle</c> (any case); null when absent.</summary>
    private static WaitUntil? ParseWaitUntil(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "load" => WaitUntil.Load,
        "domcontentloaded" => WaitUntil.DomContentLoaded,
        "networkidle" => WaitUntil.NetworkIdle,
        _ => throw new FieldException($"waitUntil must be one of domcontentloaded, load, networkidle (got '{Text.Shorten(value)}')"),
    };

    private static ClickAction Click(Fields f)
    {
        var selector = f.Selector("selector", required: false);
        var point = f.Point("coordinates");
        return (selector, point) switch
        {
            (null, null) => throw new FieldException("click needs selector or coordinates"),
            (not null, not null) => throw new FieldException("click takes selector or coordinates, not both"),
            _ => new ClickAction(selector, point),
        };
    }

    private static ScrollAction Scroll(Fields f)
    {
        var selector = f.Selector("selector", required: false);
        var point = f.Point("coordinates");
        var text = f.String("text").Get();
        var count = (selector is null ? 0 : 1) + (point is null ? 0 : 1) + (text is null ? 0 : 1);
        if (count != 1)
        {
            throw new FieldException("scroll takes exactly one of selector, coordinates or text");
        }

        if (point is { X: < 0 } or { Y: < 0 })
        {
            throw new FieldException("scroll coordinates must not be negative");
        }

        if (text is "")
        {
            throw new FieldException("text must not be empty");
        }

        return new ScrollAction(selector, point, text);
    }

    private static WaitAction Wait(Fields f)
    {
        var selector = f.Selector("selector", required: false);
        var text = f.String("text").Get();
        return (selector, text) switch
        {
            (null, null) => throw new FieldException("wait needs selector or text"),
            (not null, not null) => throw new FieldException("wait takes selector or text, not both"),
            (_, "") => throw new FieldException("text must not be empty"),
            _ => new WaitAction(selector, text),
        };
    }

    private static PdfAction Pdf(Fields f)
    {
        PdfMargin? margin = null;
        if (f.Object("margin") is { } m)
        {
            var mf = new Fields(m);
            margin = new PdfMargin(mf.Length("top"), mf.Length("right"), mf.Length("bottom"), mf.Length("left"));
        }

        return new PdfAction(f.String("format").Get(), f.Bool("landscape") ?? false, margin, f.Bool("printBackground") ?? false, f.Double("scale"));
    }

    private static KeyValuePair<Type, Func<Fields, BrowserAction>> Reader<TAction>(Func<Fields, TAction> read) where TAction : BrowserAction =>
        new(typeof(TAction), f => read(f));

    private sealed class FieldException(string message) : Exception(message);

    /// <summary>Typed reads of an object's fields, each naming the field when it is wrong.</summary>
    private readonly struct Fields(JsonElement element)
    {
        public readonly record struct Text(string? Value, string? Error)
        {
            public string? Get() => Error is null ? Value : throw new FieldException(Error);
        }

        public Text String(string name) => Find(name) switch
        {
            { ValueKind: JsonValueKind.String } value => new Text(value.GetString(), null),
            null => new Text(null, null),
            _ => new Text(null, $"{name} must be a string"),
        };

        public string Required(string name) => String(name).Get() ?? throw new FieldException($"{name} is required");

        public string NonEmpty(string name) =>
            Required(name) is { Length: > 0 } value ? value : throw new FieldException($"{name} must not be empty");

        public string? Selector(string name, bool required)
        {
            var value = required ? Required(name) : String(name).Get();
            return value switch
            {
                null => null,
                "" => throw new FieldException($"{name} must not be empty"),
                { Length: > MaxSelectorLength } => throw new FieldException($"{name} must be at most {MaxSelectorLength} characters"),
                _ => value,
            };
        }

        public string Url(string name)
        {
            var url = NonEmpty(name);
            return Uri.TryCreate(url, UriKind.Absolute, out _) ? url : throw new FieldException($"{name} must be an absolute URL");
        }

        public WaitUntil WaitUntil(string name) => ParseWaitUntil(String(name).Get()) ?? Contracts.Actions.WaitUntil.Load;

        /// <summary>Evaluate's code: <c>script</c>, or <c>js</c> as the Task API names it.</summary>
        public string Script()
        {
            var script = String("script").Get() ?? String("js").Get() ?? throw new FieldException("the script is required (field script, or js)");
            return script.Trim().Length > 0 ? script : throw new FieldException("the script must not be empty");
        }

        public bool? Bool(string name) => Find(name) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            null => null,
            _ => throw new FieldException($"{name} must be true or false"),
        };

        public int? Int(string name) => Find(name) switch
        {
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var n) => n,
            { ValueKind: JsonValueKind.Number } => throw new FieldException($"{name} is out of range"),
            null => null,
            _ => throw new FieldException($"{name} must be an integer"),
        };

        public double? Double(string name) => Find(name) switch
        {
            { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
            null => null,
            _ => throw new FieldException($"{name} must be a number"),
        };

        public JsonElement? Object(string name) => Find(name) switch
        {
            { ValueKind: JsonValueKind.Object } value => value,
            null => null,
            _ => throw new FieldException($"{name} must be an object"),
        };

        /// <summary>A CSS length: a string (<c>1cm</c>) or a number of pixels.</summary>
        public string? Length(string name) => Find(name) switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { ValueKind: JsonValueKind.Number } value => value.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture) + "px",
            null => null,
            _ => throw new FieldException($"margin.{name} must be a length such as \"1cm\" or a number of pixels"),
        };

        public Point? Point(string name)
        {
            if (Object(name) is not { } value)
            {
                return null;
            }

            var point = new Fields(value);
            var x = point.Double("x") ?? throw new FieldException($"{name}.x is required");
            var y = point.Double("y") ?? throw new FieldException($"{name}.y is required");
            return new Point(x, y);
        }

        /// <summary>The field as raw JSON, for arguments passed through to the page.</summary>
        public string? Raw(string name) => Find(name)?.GetRawText();

        /// <summary>The field by its camelCase name or its snake_case spelling; null when absent or null.</summary>
        private JsonElement? Find(string name)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (element.TryGetProperty(name, out var value) || element.TryGetProperty(SnakeCase(name), out value))
            {
                return value.ValueKind == JsonValueKind.Null ? null : value;
            }

            return null;
        }

        private static string SnakeCase(string name) =>
            string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : c.ToString()));
    }
}
