using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using SessionGrid.Api.Actions;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using static SessionGrid.Api.Mcp.ToolSchema;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// The tools that act on a session's page. Each is an action of the engine's one vocabulary
/// (<see cref="ActionRegistry"/>): its arguments are the action's fields in their snake_case spelling, read by the
/// same <see cref="ActionJson"/> as every dialect's actions (with its checks and messages), plus <c>element</c>, a
/// number from the last <c>snapshot</c>, which stands for that element's selector. The action is submitted to the
/// session's mailbox and run by the one action runner; <c>snapshot</c> is the agent's own page observation.
/// </summary>
public static class BrowserTools
{
    private static readonly ToolAnnotations Acts = new() { ReadOnlyHint = false, DestructiveHint = false, OpenWorldHint = true };
    private static readonly ToolAnnotations Reads = new() { ReadOnlyHint = true, OpenWorldHint = true };

    public static IEnumerable<McpTool> All =>
    [
        Action("navigate", "navigate", "Go to a URL in the session's page and wait until it has loaded.",
            [Url.Described("Where to go: an absolute URL").Require(),
             Enum("wait_until", "When the navigation counts as done (default load)", "load", "domcontentloaded", "networkidle"), TimeoutMs], Acts),
        Action("click", "click", "Click an element (its snapshot number, or a selector) or a point of the viewport.",
            [Element, Selector, Point("coordinates", "A point of the viewport in CSS pixels, instead of an element"), TimeoutMs], Acts),
        Action("type", "type", "Type text into an element (its snapshot number, or a selector), key by key.",
            [Element, Selector, String("text", "The text to type", MaxTextLength, minLength: 0).Require(), TimeoutMs], Acts),
        Action("press", "press", "Press a key (Enter, Tab, ArrowDown, Control+A…) on an element, or on the focused one.",
            [String("key", "The key, as Playwright names it", 64).Require(), Element, Selector, TimeoutMs], Acts),
        Action("scroll", "scroll", "Scroll an element into view, the page to a point, or to the first element showing a text.",
            [Element, Selector, Point("coordinates", "A point of the document in CSS pixels"), String("text", "A text to scroll to", MaxTextLength), TimeoutMs], Acts),
        Action("select", "select", "Choose an option of a <select> element by its label (or its value).",
            [Element, Selector, String("text", "The option's label or value", MaxTextLength, minLength: 0).Require(), TimeoutMs], Acts),
        Action("hover", "hover", "Move the mouse over an element (its snapshot number, or a selector).",
            [Element, Selector, TimeoutMs], Acts),
        Action("wait_for", "wait", "Wait until an element matching a selector, or a text, is visible on the page.",
            [Selector.Described("A CSS selector to wait for"), String("text", "A text to wait for, instead of a selector", MaxTextLength), TimeoutMs], Reads),
        Action("evaluate", "evaluate", "Run JavaScript in the page (an expression, or a function body with return) and get its value as JSON.",
            [String("script", "The JavaScript: an expression, a function body using return, or with args a function of args", MaxScriptLength).Require(),
             AnyArg("args", "A JSON value passed to the script as args"), TimeoutMs], Acts),
        new McpTool("snapshot", "Read the page: URL, title, numbered interactive elements (pass a number as element to act on it) and visible text.",
            Object(SessionId), call => call.RunAsync(new ObservePage(McpToolCall.NewCommandId(), McpToolCall.Channel), (_, outcome) => Snapshot(outcome)),
            new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = true }),
        Action("screenshot", "screenshot", "Take a PNG screenshot of the viewport, the whole page, or one element.",
            [Boolean("full_page", "The whole scrollable page instead of the viewport"), Element, Selector, TimeoutMs], Reads, Image),
        Action("content", "content", "Get the page's HTML and URL.", [TimeoutMs], Reads),
        Action("pdf", "pdf", "Print the page as a PDF document.",
            [String("format", "Paper size: Letter, Legal, Tabloid, Ledger, A0–A6", 16), Boolean("landscape", "Landscape orientation"),
             Boolean("print_background", "Print background colours and images"), Number("scale", "Scale of the rendering, 0.1 to 2"),
             ObjectArg("margin", "Margins {top, right, bottom, left}, each a CSS length such as \"1cm\" or a number of pixels"), TimeoutMs], Reads, Pdf),
        new McpTool("upload_file", "Set a file input to a file: send its bytes (content_base64), or name a file the session already holds.",
            Object(SessionId, Element, Selector, String("filename", "The file's name", 255).Require(),
                String("content_base64", "The file's bytes in base64 (the request's size limit applies); omit to use a file the session holds", int.MaxValue),
                String("content_type", "The file's media type (default application/octet-stream)", 255), TimeoutMs),
            UploadAsync, Acts),
    ];

    /// <summary>A tool that runs one action of <paramref name="type"/> from the call's arguments.</summary>
    private static McpTool Action(string name, string type, string description, ToolArg[] args, ToolAnnotations annotations,
        Func<TaskSnapshot, ActionOutcome, CallToolResult>? render = null) =>
        new(name, description, Object([SessionId, .. args]), call => RunActionAsync(call, type, render ?? Value), annotations);

    private static async Task<CallToolResult> RunActionAsync(McpToolCall call, string type, Func<TaskSnapshot, ActionOutcome, CallToolResult> render, params string[] notFields)
    {
        var input = call.Arguments.DeepClone().AsObject();
        foreach (var name in notFields.Append("session_id"))
        {
            input.Remove(name);
        }

        if (input["element"] is { } element)
        {
            if (input.ContainsKey("selector"))
            {
                return McpToolCall.Failed($"{call.Tool}: give element or selector, not both");
            }

            input.Remove("element");
            input["selector"] = PageElements.Selector(element.GetValue<int>());
        }

        var parsed = ActionJson.Parse(type, JsonSerializer.SerializeToElement(input), call.Tool);
        if (parsed.Action is not { } action)
        {
            return McpToolCall.Failed(parsed.Error!);
        }

        var result = await call.RunAsync(new RunAction(McpToolCall.NewCommandId(), McpToolCall.Channel, action), render);
        if (result.IsError is true && call.Arguments["element"] is { } number && result.Content is [TextContentBlock error])
        {
            // Numbers hold until the page changes: a failure on one is most often a page that moved on.
            error.Text += $" (element {number} of the last snapshot: if the page changed since, take a new snapshot)";
        }

        return result;
    }

    /// <summary>A file sent with the call goes into the session's files first (as a file upload to the session would); then the action.</summary>
    private static async Task<CallToolResult> UploadAsync(McpToolCall call)
    {
        if (call.String("content_base64") is { } content)
        {
            var bytes = new byte[content.Length * 3 / 4 + 3];
            if (!Convert.TryFromBase64String(content, bytes, out var length))
            {
                return McpToolCall.Failed("upload_file: content_base64 is not valid base64");
            }

            var (session, refused) = await call.SessionAsync();
            if (refused is not null)
            {
                return refused;
            }

            var file = new SessionFile(call.String("filename")!, call.String("content_type") ?? "application/octet-stream", bytes[..length]);
            var stored = await call.Grains.GetGrain<ISessionGrain>(session!.Id).AddFileAsync(file);
            if (!stored.Reply.Accepted)
            {
                return McpToolCall.Failed($"upload_file: {stored.Reply.Reason}");
            }
        }

        return await RunActionAsync(call, "uploadFile", Value, "content_base64", "content_type");
    }

    private static CallToolResult Value(TaskSnapshot session, ActionOutcome outcome) => McpToolCall.Value(outcome);

    /// <summary>The observation: the text the agent's model reads, and its parts as the structured result.</summary>
    private static CallToolResult Snapshot(ActionOutcome outcome)
    {
        var observation = JsonNode.Parse(outcome.Value!)!.AsObject();
        var description = observation["description"]!.GetValue<string>();
        observation.Remove("description");
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = description }],
            StructuredContent = JsonSerializer.SerializeToElement(observation),
        };
    }

    /// <summary>A screenshot as MCP image content (the PNG's base64, as the action answers it).</summary>
    private static CallToolResult Image(TaskSnapshot session, ActionOutcome outcome) => new()
    {
        Content = [new ImageContentBlock { Data = Encoding.UTF8.GetBytes(Capture(outcome, "screenshot")), MimeType = "image/png" }],
    };

    /// <summary>A PDF as an embedded resource of the session.</summary>
    private static CallToolResult Pdf(TaskSnapshot session, ActionOutcome outcome) => new()
    {
        Content =
        [
            new EmbeddedResourceBlock
            {
                Resource = new BlobResourceContents
                {
                    Uri = SessionView.Uri(session.Id) + "/page.pdf",
                    MimeType = "application/pdf",
                    Blob = Encoding.UTF8.GetBytes(Capture(outcome, "pdf")),
                },
            },
        ],
    };

    private static string Capture(ActionOutcome outcome, string field) => JsonNode.Parse(outcome.Value!)![field]!.GetValue<string>();
}
