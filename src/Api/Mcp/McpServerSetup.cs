using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// The MCP server's services: the official SDK over Streamable HTTP, stateful (an MCP session per client, which its
/// notifications need; a cluster's load balancer keeps a client on one API node by its <c>Mcp-Session-Id</c>), the
/// tools (the agent's only with a model), the sessions as resources, and the watches that tell when one ends.
/// </summary>
public static class McpServerSetup
{
    public const string Instructions =
        "SessionGrid runs real Chromium browsers. Open a session with session_open, read the page with snapshot (its " +
        "interactive elements are numbered), act with click, type, press, select, hover or scroll passing a number as " +
        "element (or a CSS selector), check with evaluate, screenshot or content, and close it with session_close. " +
        "Numbers change with every snapshot: take a new one after the page changed. A session closes itself after a " +
        "few idle minutes; its live_url lets a person watch it.";

    public static IServiceCollection AddSessionGridMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<SessionEndWatches>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = "SessionGrid",
                    Version = typeof(McpServerSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0",
                };
                options.ServerInstructions = Instructions;
                options.Capabilities = new ServerCapabilities { Resources = new ResourcesCapability { Subscribe = true, ListChanged = true } };
            })
            .WithHttpTransport(transport => transport.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools(SessionTools.All.Concat(BrowserTools.All))
            .WithListResourcesHandler(SessionResources.ListAsync)
            .WithListResourceTemplatesHandler(SessionResources.TemplatesAsync)
            .WithReadResourceHandler(SessionResources.ReadAsync)
            .WithSubscribeToResourcesHandler(SessionResources.SubscribeAsync)
            .WithUnsubscribeFromResourcesHandler(SessionResources.UnsubscribeAsync);
        services.AddSingleton<IConfigureOptions<McpServerOptions>, AgentTools.Setup>();
        return services;
    }
}
