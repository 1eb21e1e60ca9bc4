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

    [JsonPropertyName("proxy_server"), Description("An upstream proxy for every request of the session's pages: http://host:port, https://host:port or socks5://host:port (credentials in it, or in proxy_username and proxy_password); 'self' is not supported")]
    public string? ProxyServer { get; init; }

    [JsonPropertyName("proxy_username")] public string? ProxyUsername { get; init; }

    [JsonPropertyName("proxy_password"), Description("The proxy's password: never echoed, logged or stored")]
    public string? ProxyPassword { get; init; }

    [JsonPropertyName("extensions"), Description("Ids of your uploaded extensions (POST /extension): the session gets a Chromium of its own started with them (and a cdp_url)")]
    public string[]? Extensions { get; init; }

    [JsonPropertyName("certificates"), Description("TLS client certificates, [{file, password, filters}]: file a PKCS#12 file in base64 (or PEM with its key), filters the https:// origins it is offered to ([[\"https://intranet.example.com\"]]); never echoed, logged or stored")]
    public JsonElement? Certificates { get; init; }

    [JsonPropertyName("use_adblock"), Description("Block the pages' requests to ad and tracker hosts (the node's block list); true when absent or null, as in the SDKs")]
    public bool? UseAdblock { get; init; }

    [JsonPropertyName("show_cursor"), Description("Draw the mouse pointer in the pages where the agent, an action or a live-view user moves it, so the live view and screenshots show it (default false)")]
    public bool? ShowCursor { get; init; }

    [JsonPropertyName("use_stealth"), Description("Accepted and ignored (listed in ignored_options when true): SessionGrid has no stealth mode")]
    public JsonElement? UseStealth { get; init; }

    [JsonPropertyName("stealth_mode"), Description("Deprecated in the SDKs; accepted and ignored (listed in ignored_options when true)")]
    public JsonElement? StealthMode { get; init; }

    [JsonPropertyName("use_captcha_solver"), Description("Accepted and ignored (listed in ignored_options when true): SessionGrid solves no captchas")]
    public JsonElement? UseCaptchaSolver { get; init; }

    [JsonPropertyName("experimental_features"), Description("Accepted and ignored (listed in ignored_options when it names any)")]
    public JsonElement? ExperimentalFeatures { get; init; }

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
