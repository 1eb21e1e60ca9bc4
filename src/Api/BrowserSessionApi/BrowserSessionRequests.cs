using System.ComponentModel;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionGrid.Api.Actions;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Profiles;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.BrowserSessionApi;

/// <summary>Body of <c>POST /api/v1/browser/sessions</c>; every field is optional.</summary>
public sealed record CreateSessionRequest(
    ViewportRequest? Viewport,
    string? UserAgent,
    string? Locale,
    string? TimezoneId,
    string? Device,
    string? ProfileId = null,
    bool? ProfileReadOnly = null,
    [property: Description("shared (default): the session's context lives in a shared Chromium process; dedicated: a Chromium process of its own, whose CDP endpoint is cdpUrl")]
    string? Isolation = null,
    [property: Description("An upstream proxy for every request of the session's pages")]
    ProxyRequest? Proxy = null,
    [property: Description("Ids of extensions uploaded with the Task API's POST /api/v1/extension: the session gets a Chromium of its own started with them (and a cdpUrl)")]
    string[]? Extensions = null,
    [property: Description("Record the session as a video (default false): GET /sessions/{id}/recording and recordingUrl once it closed")]
    bool? Recording = null);

public sealed record ViewportRequest(int? Width, int? Height);

/// <summary>A session's upstream proxy.</summary>
public sealed record ProxyRequest(
    [property: Description("http://host:port, https://host:port or socks5://host:port (credentials in it, or in username and password)")] string? Server,
    string? Username,
    [property: Description("Never echoed, logged or stored")] string? Password,
    [property: Description("Chromium's bypass list: comma-separated hosts reached directly (loopback goes through the proxy unless listed)")] string? Bypass);

/// <summary>Body of <c>POST /api/v1/browser/sessions/{id}/tasks</c> (seed 000): navigate, actions, then captures.</summary>
public sealed record BrowserTaskRequest(
    string? Url,
    string? WaitUntil,
    JsonElement[]? Actions,
    JsonElement? Screenshot,
    JsonElement? Pdf,
    bool? Content);

/// <summary>The session settings of a create request, checked; or why they are wrong.</summary>
public static partial class SessionSettings
{
    public const int MinViewport = 100;
    public const int MaxViewportWidth = 7680;
    public const int MaxViewportHeight = 4320;
    public const int MaxUserAgentLength = 1024;

    private static readonly UpstreamProxy.FieldNames ProxyFields = new("proxy.server", "proxy.username", "proxy.password", "proxy.bypass");

    /// <summary>What the session's browser is given (<c>proxy</c>, <c>extensions</c>, checked later); an error when it is malformed.</summary>
    public static (BrowserExtras Extras, string? Error) Extras(CreateSessionRequest request)
    {
        var extras = new BrowserExtras { Extensions = request.Extensions ?? [] };
        if (request.Proxy is not { } proxy)
        {
            return (extras, null);
        }

        var (parsed, error) = UpstreamProxy.Parse(proxy.Server, proxy.Username, proxy.Password, proxy.Bypass, ProxyFields);
        return error is not null ? (BrowserExtras.None, error)
            : parsed is null ? (BrowserExtras.None, "proxy needs a server")
            : (extras with { Proxy = parsed }, null);
    }

    /// <summary>The profile a session asks for (<c>profileId</c>, <c>profileReadOnly</c>); an error when the id is malformed.</summary>
    public static (ProfileUse? Use, string? Error) Profile(CreateSessionRequest request) => request.ProfileId switch
    {
        null => (null, null),
        var id when !ProfileKey.IsValidId(id) => (null, ProfileKey.InvalidId("profileId")),
        var id => (new ProfileUse(id, request.ProfileReadOnly ?? false), null),
    };

    public static (DeviceKind Device, BrowserSettings? Browser, string? Error) Parse(CreateSessionRequest request)
    {
        if (DeviceWire.Parse(request.Device) is not { } device)
        {
            return Fail(DeviceWire.Invalid);
        }

        if (request.Viewport is { } viewport)
        {
            if (viewport.Width is null || viewport.Height is null)
            {
                return Fail("viewport needs width and height");
            }

            if (viewport.Width is < MinViewport or > MaxViewportWidth || viewport.Height is < MinViewport or > MaxViewportHeight)
            {
                return Fail($"viewport must be from {MinViewport}x{MinViewport} to {MaxViewportWidth}x{MaxViewportHeight}");
            }
        }

        if (request.UserAgent is { } agent && (agent.Trim().Length == 0 || agent.Length > MaxUserAgentLength || agent.Any(char.IsControl)))
        {
            return Fail($"userAgent must be 1 to {MaxUserAgentLength} printable characters");
        }

        if (request.Locale is { } locale && !LocalePattern().IsMatch(locale))
        {
            return Fail("locale must be a BCP 47 language tag such as en-US or de-DE");
        }

        if (request.TimezoneId is { } zone && !IsTimeZone(zone))
        {
            return Fail("timezoneId must be an IANA time zone such as Europe/Berlin or America/New_York");
        }

        var custom = request.Viewport is not null || request.UserAgent is not null || request.Locale is not null || request.TimezoneId is not null;
        var settings = custom
            ? new BrowserSettings(request.Viewport?.Width, request.Viewport?.Height, request.UserAgent, request.Locale, request.TimezoneId)
            : null;
        return (device, settings, null);

        static (DeviceKind, BrowserSettings?, string?) Fail(string error) => (DeviceKind.Desktop, null, error);
    }

    /// <summary>An IANA zone name the system knows (Chromium knows the same database); not a Windows zone name.</summary>
    private static bool IsTimeZone(string zone) =>
        zone.Length <= 64 && TimeZonePattern().IsMatch(zone) && !zone.Contains("..", StringComparison.Ordinal)
        && (TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId || zone is "UTC");

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex LocalePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$")]
    private static partial Regex TimeZonePattern();
}

/// <summary>What a task runs and where each step came from, so results and failures can be named the client's way.</summary>
public sealed class BrowserTaskPlan
{
    /// <summary>Where a step of the plan came from.</summary>
    public enum Step
    {
        Url,
        Action,
        Screenshot,
        Pdf,
        Content,
    }

    private BrowserTaskPlan(List<(Step Step, int Index, BrowserAction Action)> steps) => Steps = steps;

    public IReadOnlyList<(Step Step, int Index, BrowserAction Action)> Steps { get; }

    public IReadOnlyList<BrowserAction> Actions => [.. Steps.Select(s => s.Action)];

    public const int MaxActions = 100;

    /// <summary>
    /// The plan of a task request, its actions parsed from <paramref name="body"/>, the JSON <paramref name="request"/>
    /// was bound from; on error, the message and the index of the action at fault (if any).
    /// </summary>
    public static (BrowserTaskPlan? Plan, string? Error, int? ActionIndex) Parse(BrowserTaskRequest request, JsonElement body)
    {
        var steps = new List<(Step, int, BrowserAction)>();
        if (request.Url is not null)
        {
            // The body holds the navigation's url and waitUntil; its time limit is the default one (a task has no timeoutMs).
            var navigation = ActionJson.ParseNavigation(body);
            if (navigation.Action is null)
            {
                return (null, navigation.Error!.Replace("navigate: ", "", StringComparison.Ordinal), null);
            }

            steps.Add((Step.Url, -1, navigation.Action with { TimeoutMs = null }));
        }
        else if (request.WaitUntil is not null)
        {
            return (null, "waitUntil applies to the initial navigation: give url too", null);
        }

        var actions = request.Actions ?? [];
        if (actions.Length > MaxActions)
        {
            return (null, $"a task may have at most {MaxActions} actions", null);
        }

        for (var i = 0; i < actions.Length; i++)
        {
            var parsed = ActionJson.Parse(actions[i]);
            if (parsed.Action is null)
            {
                return (null, $"actions[{i}]: {parsed.Error}", i);
            }

            steps.Add((Step.Action, i, parsed.Action));
        }

        if (Capture(request.Screenshot, "screenshot", ActionJson.ParseScreenshot) is var (shot, shotError) && shotError is not null)
        {
            return (null, shotError, null);
        }

        if (Capture(request.Pdf, "pdf", ActionJson.ParsePdf) is var (pdf, pdfError) && pdfError is not null)
        {
            return (null, pdfError, null);
        }

        if (shot is not null)
        {
            steps.Add((Step.Screenshot, -1, shot));
        }

        if (pdf is not null)
        {
            steps.Add((Step.Pdf, -1, pdf));
        }

        if (request.Content == true)
        {
            steps.Add((Step.Content, -1, new ContentAction()));
        }

        return (new BrowserTaskPlan(steps), null, null);
    }

    /// <summary>A capture option: an object of options, <c>true</c> for the defaults; absent, null or false for none.</summary>
    private static (BrowserAction? Action, string? Error) Capture(JsonElement? option, string name, Func<JsonElement, ActionJson.Parsed> parse)
    {
        switch (option)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.False }:
                return (null, null);
            case { ValueKind: JsonValueKind.True }:
                return (parse(default).Action, null);
            case { ValueKind: JsonValueKind.Object } value:
                var parsed = parse(value);
                return (parsed.Action, parsed.Error);
            default:
                return (null, $"{name} must be an object of options");
        }
    }
}
