using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Contracts.Agent;

/// <summary>
/// Settings under <c>SessionGrid:Agent</c>: the OpenAI-compatible model the agent talks to. The agent is available
/// when <see cref="Model"/> is set; read by the API (to answer 422 without one) and by the silo (to run it).
/// </summary>
public sealed class AgentOptions
{
    public const string Section = "SessionGrid:Agent";

    /// <summary>Base URL of an OpenAI-compatible API (<c>…/v1</c>); empty means OpenAI's own.</summary>
    public string? Endpoint { get; set; }

    public string? Model { get; set; }

    /// <summary>
    /// The model of the lighter agent, which a Task API client picks with <c>agent: "smooth-lite"</c>; empty: the same
    /// model as <see cref="Model"/> (the choice then changes nothing).
    /// </summary>
    public string? LiteModel { get; set; }

    /// <summary>The model API's key; never logged or returned.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times an output that fails <c>response_model</c> is sent back to the model to fix; 0: never.</summary>
    [Range(0, int.MaxValue)]
    public int MaxRepairs { get; set; } = 2;

    /// <summary>How long the agent waits for the client to answer a custom tool call.</summary>
    [Range(1, int.MaxValue)]
    public int ToolCallTimeoutSeconds { get; set; } = 300;

    /// <summary>How much of a page's visible text one observation shows the model.</summary>
    [Range(1, int.MaxValue)]
    public int PageTextChars { get; set; } = 6000;

    /// <summary>How many interactive elements one observation lists; 0: none (the model sees the page's text only).</summary>
    [Range(0, int.MaxValue)]
    public int MaxElements { get; set; } = 150;

    /// <summary>How long one model call may take.</summary>
    [Range(1, int.MaxValue)]
    public int ModelTimeoutSeconds { get; set; } = 120;

    /// <summary>How long the files the agent's <c>screenshot</c> and <c>print_page</c> tools save are kept (5 days).</summary>
    public double CaptureRetentionHours { get; set; } = 120;

    public bool Configured => !string.IsNullOrWhiteSpace(Model);
}
