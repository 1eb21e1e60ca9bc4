using System.Text.Json.Serialization;

namespace SessionGrid.Api.BrowsingApi;

/// <summary><c>POST /browsing/async</c> and <c>/browsing/sync</c> body (<c>specs/datai-browsing-api.md</c> §2).</summary>
public sealed class BrowsingRequest
{
    [JsonPropertyName("task")] public string? Task { get; init; }
    [JsonPropertyName("screenshots")] public ScreenshotsRequest? Screenshots { get; init; }
    [JsonPropertyName("session_key")] public string? SessionKey { get; init; }
    [JsonPropertyName("filter")] public FilterRequest? Filter { get; init; }
    [JsonPropertyName("timeout")] public long? Timeout { get; init; }
    [JsonPropertyName("fanout")] public int? Fanout { get; init; }
    [JsonPropertyName("template")] public string? Template { get; init; }
}

public sealed class ScreenshotsRequest
{
    [JsonPropertyName("mode")] public string? Mode { get; init; }
    [JsonPropertyName("full_page")] public bool? FullPage { get; init; }
}

public sealed class FilterRequest
{
    [JsonPropertyName("country_iso")] public string? CountryIso { get; init; }
    [JsonPropertyName("node_uid")] public string? NodeUid { get; init; }
}
