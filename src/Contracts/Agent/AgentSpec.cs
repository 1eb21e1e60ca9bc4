namespace SessionGrid.Contracts.Agent;

/// <summary>
/// An agent run: a natural-language task the agent drives the browser through until it can answer, within
/// <see cref="MaxSteps"/> steps. JSON members (<see cref="ResponseModel"/>, <see cref="MetadataJson"/>) are already
/// checked by the dialect that received them.
/// </summary>
[GenerateSerializer, Alias("sg.AgentSpec")]
public sealed record AgentSpec(
    [property: Id(0)] string Task,
    [property: Id(1)] int MaxSteps)
{
    public const int DefaultMaxSteps = 32;
    public const int MinSteps = 2;
    public const int MaxStepsLimit = 128;

    /// <summary>
    /// The agent's own tools. A client's custom tool may take one of these names (or an enabled additional tool's): the
    /// model then sees the client's tool as <c>custom_NAME</c>, and the tool call the client gets still says NAME.
    /// </summary>
    public static readonly IReadOnlyList<string> BuiltInTools = ["goto", "click", "type", "select", "scroll", "wait", "extract", "upload", "done"];

    /// <summary>A JSON schema the final output must satisfy; null for free-form output.</summary>
    [Id(2)] public string? ResponseModel { get; init; }

    /// <summary>A JSON object of variables handed to the model.</summary>
    [Id(3)] public string? MetadataJson { get; init; }

    /// <summary>Where to start; null to start from the current page.</summary>
    [Id(4)] public string? StartUrl { get; init; }

    /// <summary>The client's own tools, answered through <c>tool_call</c> events.</summary>
    [Id(5)] public IReadOnlyList<ToolSignature> CustomTools { get; init; } = [];

    /// <summary>Values the agent may type by name (<c>{{secret:NAME}}</c>) on the pages each allows; the model never sees them.</summary>
    [Id(6)] public IReadOnlyList<AgentSecret> Secrets { get; init; } = [];

    /// <summary>The optional built-in tools (<c>additional_tools</c>) offered to the model in this run.</summary>
    [Id(7)] public IReadOnlyList<AdditionalTool> AdditionalTools { get; init; } = [];

    /// <summary>Whether the run uses the lighter model (<c>agent: "smooth-lite"</c>; <see cref="AgentOptions.LiteModel"/>).</summary>
    [Id(8)] public bool Lite { get; init; }

    /// <summary>
    /// This run as a session runs it: the session's custom and additional tools (given when it opened) when the run
    /// names none of its own, and the session's choice of agent.
    /// </summary>
    public AgentSpec InSession(Sessions.SessionSpec session) => this with
    {
        CustomTools = CustomTools.Count > 0 ? CustomTools : session.CustomTools,
        AdditionalTools = AdditionalTools.Count > 0 ? AdditionalTools : session.AdditionalTools,
        Lite = Lite || session.LiteAgent,
    };
}

/// <summary>A client-executed tool the agent may call: its name, what it does, its arguments' JSON schema.</summary>
[GenerateSerializer, Alias("sg.ToolSignature")]
public sealed record ToolSignature(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description,
    [property: Id(2)] string InputsSchema,
    [property: Id(3)] string? Output);

/// <summary>A client's answer to a tool call: 200 with the result, 400 an error the agent sees, 500 fatal.</summary>
[GenerateSerializer, Alias("sg.ToolAnswer")]
public sealed record ToolAnswer([property: Id(0)] int Code, [property: Id(1)] string? OutputJson);
