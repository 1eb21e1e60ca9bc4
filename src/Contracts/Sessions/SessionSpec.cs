namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// How to open a session: its owner, the dialect that opened it (<see cref="Tasks.Dialects"/>), device, an optional
/// start URL, and optional browser context settings that override the device's.
/// </summary>
[GenerateSerializer, Alias("sg.SessionSpec")]
public sealed record SessionSpec(
    [property: Id(0)] string Owner,
    [property: Id(1)] DeviceKind Device,
    [property: Id(2)] string? StartUrl)
{
    [Id(3)] public string Dialect { get; init; } = Tasks.Dialects.TaskApi;

    [Id(4)] public BrowserSettings? Browser { get; init; }

    /// <summary>A one-shot agent task: the session runs it, then ends with its output.</summary>
    [Id(5)] public Agent.AgentSpec? Agent { get; init; }

    /// <summary>URL globs every navigation (the agent's and the page's own) must match; empty allows all.</summary>
    [Id(6)] public IReadOnlyList<string> AllowedUrls { get; init; } = [];

    /// <summary>The client's tools, for the session's agent runs (<c>run_task</c>).</summary>
    [Id(7)] public IReadOnlyList<Agent.ToolSignature> CustomTools { get; init; } = [];

    /// <summary>Ids of the owner's uploaded files (<see cref="ITenantFilesGrain"/>) the session gets copies of, for uploads.</summary>
    [Id(8)] public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The owner's profile the session starts from and (unless read-only) saves back to.</summary>
    [Id(9)] public Profiles.ProfileUse? Profile { get; init; }

    /// <summary>Whether the session shares a Chromium process with others or gets its own (and with it a CDP endpoint).</summary>
    [Id(10)] public SessionIsolation Isolation { get; init; }

    /// <summary>The optional built-in agent tools (<c>additional_tools</c>) for the session's agent runs (<c>run_task</c>).</summary>
    [Id(11)] public IReadOnlyList<Agent.AdditionalTool> AdditionalTools { get; init; } = [];

    /// <summary>Whether the session's agent runs (<c>run_task</c>, <c>extract</c>) use the lighter model (<c>agent: "smooth-lite"</c>).</summary>
    [Id(12)] public bool LiteAgent { get; init; }

    /// <summary>Whether the session records a video of its active page (Task API <c>enable_recording</c>, Browser Session API <c>recording</c>, every Browsing API task).</summary>
    [Id(13)] public bool Record { get; init; }

    /// <summary>What the session's browser is given beyond its device and settings: its proxy (docs/browser-options.md).</summary>
    [Id(20)] public BrowserExtras Extras { get; init; } = BrowserExtras.None;
}

/// <summary>Browser context settings chosen by the client; null members keep the device's defaults.</summary>
[GenerateSerializer, Alias("sg.BrowserSettings")]
public sealed record BrowserSettings(
    [property: Id(0)] int? ViewportWidth,
    [property: Id(1)] int? ViewportHeight,
    [property: Id(2)] string? UserAgent,
    [property: Id(3)] string? Locale,
    [property: Id(4)] string? TimezoneId);

/// <summary>A live session's own view of itself: whether it is open here and the URL of its active page.</summary>
[GenerateSerializer, Alias("sg.SessionInfo")]
public sealed record SessionInfo([property: Id(0)] bool Open, [property: Id(1)] string? Url)
{
    /// <summary>The active page's title; only <see cref="ISessionGrain.DescribePageAsync"/> reads it (null otherwise, or when the page did not answer).</summary>
    [Id(2)] public string? Title { get; init; }
}
