namespace SessionGrid.Contracts.Agent;

/// <summary>
/// One of the agent's optional built-in tools, offered to the model only when the request's <c>additional_tools</c>
/// names it (Smooth's names: <see cref="Screenshot"/>, <see cref="Hover"/>, <see cref="PrintPage"/>,
/// <see cref="DragDrop"/>), with its options; each runs as an action of the vocabulary.
/// </summary>
[GenerateSerializer, Alias("sg.AdditionalTool")]
public sealed record AdditionalTool([property: Id(0)] string Name)
{
    public const string Screenshot = "screenshot";
    public const string Hover = "hover";
    public const string PrintPage = "print_page";
    public const string DragDrop = "drag_drop";

    /// <summary>Every additional tool, by its name in <c>additional_tools</c>.</summary>
    public static readonly IReadOnlyList<string> Names = [Screenshot, Hover, PrintPage, DragDrop];

    /// <summary><see cref="Screenshot"/>: the whole scrollable page rather than the viewport (option <c>full_page</c>).</summary>
    [Id(1)] public bool FullPage { get; init; }
}
