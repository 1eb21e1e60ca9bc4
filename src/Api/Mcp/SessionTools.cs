using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Http;
using SessionGrid.Api.Limits;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Profiles;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;
using static SessionGrid.Api.Mcp.ToolSchema;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// The tools that open, list and close sessions. A session opened here is an ordinary Task API session (a <c>task_…</c>
/// id, listed by <c>GET /api/v1/task</c>, its live view, idle timeout and cleanup), opened as <c>POST /task</c> with
/// <c>task: null</c> opens one, under the same per-key session limit; the Task API can drive it at the same time.
/// </summary>
public static class SessionTools
{
    private static readonly UpstreamProxy.FieldNames ProxyFields = new("proxy_server", "proxy_username", "proxy_password", "proxy_bypass");

    public static IEnumerable<McpTool> All =>
    [
        new("session_open", "Open a browser session (optionally at a URL); returns its session_id and a live-view link a person can watch.",
            Object(
                Enum("device", "The device to emulate (default desktop)", "desktop", "mobile", "desktop-lg"),
                Url.Described("Where the session starts: an absolute http or https URL"),
                String("profile_id", "A saved profile (POST /api/v1/profile) to start with: its cookies and storage, saved back when the session ends", ProfileKey.MaxIdLength),
                Boolean("profile_read_only", "Start from the profile but save nothing back to it"),
                Enum("isolation", "shared (default), or dedicated: a Chromium process of the session's own, with a CDP endpoint (cdp_url)", "shared", "dedicated"),
                String("proxy_server", "An upstream proxy for every request of the session's pages: http://host:port, https://host:port or socks5://host:port", 2048),
                String("proxy_username", "The proxy's user name", 256),
                String("proxy_password", "The proxy's password; never shown again", 256),
                String("proxy_bypass", "Hosts that skip the proxy, comma-separated", 2048)),
            OpenAsync, new ToolAnnotations { Title = "Open a browser session", ReadOnlyHint = false, DestructiveHint = false, OpenWorldHint = true }),
        new("session_list", "List your open browser sessions with their current URL, title and live-view link.",
            Object(), ListAsync, new ToolAnnotations { Title = "List browser sessions", ReadOnlyHint = true }),
        new("session_close", "Close a browser session: its browser is freed and its task ends done.",
            Object(SessionId), CloseAsync, new ToolAnnotations { Title = "Close a browser session", DestructiveHint = true, IdempotentHint = false }),
    ];

    private static async Task<CallToolResult> OpenAsync(McpToolCall call)
    {
        // The schema admits only the devices and isolations these read.
        var device = DeviceWire.Parse(call.String("device")) ?? DeviceKind.Desktop;
        var isolation = IsolationWire.Parse(call.String("isolation")) ?? SessionIsolation.Shared;
        var url = call.String("url");
        if (url is not null && !WebUrl.IsValid(url))
        {
            return McpToolCall.Failed($"session_open: {WebUrl.Invalid}");
        }

        var (proxy, badProxy) = UpstreamProxy.Parse(call.String("proxy_server"), call.String("proxy_username"), call.String("proxy_password"), call.String("proxy_bypass"), ProxyFields);
        if (badProxy is not null)
        {
            return McpToolCall.Failed($"session_open: {badProxy}");
        }

        ProfileUse? profile = null;
        if (call.String("profile_id") is { } profileId)
        {
            if (!ProfileKey.IsValidId(profileId))
            {
                return McpToolCall.Failed($"session_open: {ProfileKey.InvalidId("profile_id")}");
            }

            profile = new ProfileUse(profileId, call.Bool("profile_read_only") ?? false);
        }

        var grains = call.Grains;
        var limits = Caller.Limits(call.Http);
        var sessionId = Ids.New("task_");
        if (await SessionLimit.ClaimAsync(limits, grains, new SessionClaim(sessionId, SessionClaimKind.Session)) is { } full)
        {
            return McpToolCall.Failed(full);
        }

        var spec = new SessionSpec(call.Tenant, device, url) { Isolation = isolation, Profile = profile, Extras = new BrowserExtras { Proxy = proxy } };
        if (await grains.GetGrain<ISessionGrain>(sessionId).OpenAsync(spec) is { Accepted: false } refused)
        {
            await SessionLimit.ReleaseAsync(limits, grains, sessionId);
            return McpToolCall.Failed(refused.Reason ?? "the session could not be opened");
        }

        var task = await grains.GetGrain<ITaskGrain>(sessionId).GetAsync(0, includeEvents: false);
        await call.OpenedAsync(sessionId);
        return McpToolCall.Json(Describe(call, task!, null));
    }

    private static async Task<CallToolResult> ListAsync(McpToolCall call)
    {
        var open = await OpenSessions.ListAsync(call.Grains, call.Tenant);
        foreach (var (task, _) in open)
        {
            call.Watch(task.Id);
        }

        return McpToolCall.Json(new JsonObject { ["sessions"] = new JsonArray([.. open.Select(s => (JsonNode)Describe(call, s.Task, s.Page))]) });
    }

    private static async Task<CallToolResult> CloseAsync(McpToolCall call)
    {
        var (session, refused) = await call.SessionAsync();
        if (refused is not null)
        {
            return refused;
        }

        await call.Grains.GetGrain<ISessionGrain>(session!.Id).CloseAsync();
        var task = await call.Grains.GetGrain<ITaskGrain>(session.Id).GetAsync(0, includeEvents: false);
        return McpToolCall.Json(new JsonObject { ["session_id"] = session.Id, ["status"] = SessionView.Status(task!.Phase) });
    }

    private static JsonObject Describe(McpToolCall call, TaskSnapshot task, SessionInfo? page)
    {
        var services = call.Http.RequestServices;
        return SessionView.Describe(task, page, call.Http.Request, services.GetRequiredService<LiveViewLinks>(), services.GetRequiredService<CdpLinks>());
    }
}
