using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionGrid.Api.TaskApi;

/// <summary>
/// <c>POST /task</c> body (Smooth <c>TaskRequest</c>). Only the fields the engine uses are typed; every other field
/// of the contract (and any unknown field, as the SDK sends some) is accepted and ignored.
/// </summary>
public sealed class TaskRequest
{
    [JsonPropertyName("task")] public string? Task { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("device")] public string? Device { get; init; }
    [JsonPropertyName("max_steps")] public int? MaxSteps { get; init; }
    [JsonPropertyName("response_model")] public JsonElement? ResponseModel { get; init; }
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [JsonPropertyName("allowed_urls")] public string[]? AllowedUrls { get; init; }
    [JsonPropertyName("custom_tools")] public JsonElement? CustomTools { get; init; }

    [JsonPropertyName("additional_tools"), Description("Optional built-in agent tools, {name: options | null}: screenshot ({full_page: bool}), hover, print_page, drag_drop")]
    public JsonElement? AdditionalTools { get; init; }

    [JsonPropertyName("secrets"), Description("For the task's agent: {NAME: {value, allowed_urls}}; the model types {{secret:NAME}} and never sees the value, which is typed only on pages matching allowed_urls")]
    public JsonElement? Secrets { get; init; }

    [JsonPropertyName("agent"), Description("smooth (default) or smooth-lite: the lighter model, SessionGrid:Agent:LiteModel when set (else the same model)")]
    public string? Agent { get; init; }

    [JsonPropertyName("enable_recording"), Description("Record the session as a video (default true, as the SDKs send it): recording_url once the task ended")]
    public bool? EnableRecording { get; init; }

    [JsonPropertyName("files")] public string[]? Files { get; init; }
    [JsonPropertyName("profile_id")] public string? ProfileId { get; init; }
    [JsonPropertyName("profile_read_only")] public bool? ProfileReadOnly { get; init; }

    /// <summary><c>shared</c> (the default) or <c>dedicated</c>: a Chromium process of the session's own, with a CDP endpoint (<c>cdp_url</c>).</summary>
    [JsonPropertyName("isolation"), Description("shared (default): the session's context lives in a shared Chromium process; dedicated: a Chromium process of its own, whose CDP endpoint is cdp_url")]
    public string? Isolation { get; init; }

    /// <summary>The SDK's deprecated alias of <see cref="ProfileId"/>, which it always sends as a mirror of it.</summary>
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
}

/// <summary><c>POST /task/{id}/event</c> body (Smooth <c>TaskEvent</c>).</summary>
public sealed class TaskEventRequest
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("payload")] public JsonElement? Payload { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("timestamp")] public long? Timestamp { get; init; }
}
