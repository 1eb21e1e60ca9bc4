namespace SessionGrid.Contracts.Actions;

/// <summary>
/// The engine's one action vocabulary. Every dialect maps its wire shape onto these records and the
/// action runner implements each once. <see cref="TimeoutMs"/> overrides the default per-action timeout.
/// </summary>
[GenerateSerializer, Alias("sg.BrowserAction")]
public abstract record BrowserAction
{
    [Id(0)] public int? TimeoutMs { get; init; }

    /// <summary>The action's name in the engine vocabulary.</summary>
    public abstract string Type { get; }
}

/// <summary>When a navigation counts as finished.</summary>
[GenerateSerializer, Alias("sg.WaitUntil")]
public enum WaitUntil
{
    Load = 0,
    DomContentLoaded = 1,
    NetworkIdle = 2,
}

[GenerateSerializer, Alias("sg.NavigateAction")]
public sealed record NavigateAction([property: Id(0)] string Url, [property: Id(1)] WaitUntil WaitUntil = WaitUntil.Load) : BrowserAction
{
    public override string Type => "navigate";
}

/// <summary>Runs JavaScript in the page: an expression, a function body using <c>return</c>, or a function of <see cref="ArgsJson"/>.</summary>
[GenerateSerializer, Alias("sg.EvaluateAction")]
public sealed record EvaluateAction([property: Id(0)] string Script, [property: Id(1)] string? ArgsJson = null) : BrowserAction
{
    public override string Type => "evaluate";
}
