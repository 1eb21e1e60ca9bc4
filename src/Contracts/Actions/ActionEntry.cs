namespace SessionGrid.Contracts.Actions;

/// <summary>
/// One action of the vocabulary: its <see cref="Name"/> (the <c>type</c> of its JSON form and of its outcome) and the
/// <see cref="Record"/> that carries it to the runner.
/// </summary>
public sealed record ActionEntry(string Name, Type Record)
{
    /// <summary>
    /// The names a Task API <c>browser_action</c> event runs this action by: Smooth's own names where they differ from
    /// <see cref="Name"/> (<c>goto</c> for navigate; the first is Smooth's current name, the rest deprecated aliases),
    /// else <see cref="Name"/> alone.
    /// </summary>
    public IReadOnlyList<string> TaskApiNames { get; init; } = [Name];

    /// <summary>Whether the Task API names this action by names of its own rather than by <see cref="Name"/>.</summary>
    public bool RenamedByTaskApi => TaskApiNames is not [var only] || only != Name;
}
