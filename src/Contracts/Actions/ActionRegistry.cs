namespace SessionGrid.Contracts.Actions;

/// <summary>
/// The action vocabulary in one list: every action's name, its aliases and its record, in the order the dialects list
/// them. Everything else derives from it: <see cref="BrowserAction.Type"/>, the JSON form's types and the Task API's
/// names (Api/Actions, Api/TaskApi), the OpenAPI document's action schemas (Api/OpenApi), and the set of records the
/// runner implements (Grains/Actions). Adding an action: its record, its entry here, its runner method, its JSON
/// reader and schema beside the others, and its Task API name in the event schema's description; the action registry
/// test fails while any of them misses it.
/// </summary>
public static class ActionRegistry
{
    /// <summary>Every action, in the vocabulary's order.</summary>
    public static readonly IReadOnlyList<ActionEntry> All =
    [
        Entry<NavigateAction>("navigate") with { TaskApiNames = ["goto"] },
        Entry<ClickAction>("click"),
        Entry<TypeAction>("type"),
        Entry<PressAction>("press"),
        Entry<ScrollAction>("scroll"),
        Entry<WaitAction>("wait"),
        Entry<EvaluateAction>("evaluate") with { TaskApiNames = ["evaluate_js", "exec_js"] },
        Entry<ScreenshotAction>("screenshot"),
        Entry<UploadFileAction>("uploadFile"),
        Entry<SelectAction>("select"),
        Entry<HoverAction>("hover"),
        Entry<DragAndDropAction>("dragAndDrop"),
        Entry<PdfAction>("pdf"),
        Entry<ContentAction>("content"),
        Entry<AuthenticateAction>("authenticate"),
    ];

    private static readonly Dictionary<string, ActionEntry> ByName = All.ToDictionary(e => e.Name, StringComparer.Ordinal);

    private static readonly Dictionary<Type, ActionEntry> ByRecord = All.ToDictionary(e => e.Record);

    /// <summary>The action named <paramref name="name"/> (exactly, case-sensitive); null when there is none.</summary>
    public static ActionEntry? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The entry of an action record's type; a record without one is a programming error.</summary>
    public static ActionEntry Of(Type record) =>
        ByRecord.TryGetValue(record, out var entry)
            ? entry
            : throw new InvalidOperationException($"{record.Name} has no entry in {nameof(ActionRegistry)}");

    private static ActionEntry Entry<TAction>(string name) where TAction : BrowserAction => new(name, typeof(TAction));
}
