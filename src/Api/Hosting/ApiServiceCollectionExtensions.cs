using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;
using SessionGrid.Api.Artifacts;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Http;
using SessionGrid.Api.Limits;
using SessionGrid.Api.LiveView;
using SessionGrid.Api.Mcp;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Nodes;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Hosting;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// The HTTP front end's services: API settings, the accepted API keys (as hashes; issued keys are asked of their
    /// grains), the admin keys, the per-key limits, the live view's links (which replace the engine's default that
    /// knows no live view), the CDP endpoints' links, and the MCP server. Every settings class is bound once and checked at start-up
    /// (<see cref="Settings.AddSettings"/>): the ones the engine shares are bound by whichever registers them first.
    /// </summary>
    public static IServiceCollection AddSessionGridApi(this IServiceCollection services, IConfiguration configuration, IEnumerable<string> apiKeyHashes)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSettings<ApiOptions>(configuration, ApiOptions.Section);
        services.AddSettings<SessionFileOptions>(configuration, SessionFileOptions.Section);
        services.AddSettings<ExtensionOptions>(configuration, ExtensionOptions.Section);
        services.AddSettings<AgentOptions>(configuration, AgentOptions.Section);
        services.AddSettings<BrowsingOptions>(configuration, BrowsingOptions.Section);
        services.AddSingleton<BrowsingApi.BrowsingTemplates>();
        services.AddSingleton(new ApiKeyRegistry(apiKeyHashes));
        services.AddSingleton(new AdminKeyRegistry(new ApiKeyRegistry(ConfiguredKeys.Read(configuration, AdminKeyRegistry.Setting).Select(ApiKeyHash.Of))));
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSettings<LimitOptions>(configuration, LimitOptions.Section);
        services.AddSingleton<RequestRateLimiter>();
        services.AddSettings<LiveViewOptions>(configuration, LiveViewOptions.Section);
        services.AddSingleton<LiveViewLinks>();
        services.Replace(ServiceDescriptor.Singleton<ILiveViewLinks>(sp => sp.GetRequiredService<LiveViewLinks>()));
        services.AddSingleton<CdpLinks>();
        services.AddSingleton<HeldPolls>();
        services.AddSettings<ClusterScaleOptions>(configuration, ClusterScaleOptions.Section);
        services.AddSingleton<Admin.ClusterScale>();
        services.AddHostedService(sp => sp.GetRequiredService<Admin.ClusterScale>());
        services.AddSessionGridMcp();
        services.AddSingleton<ArtifactLinkUrls>();
        services.Replace(ServiceDescriptor.Singleton<IArtifactUrls>(sp => sp.GetRequiredService<ArtifactLinkUrls>()));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// A silo's side of the CDP relay: the node's internal address that its sessions hand to CDP proxies on other nodes
    /// (<see cref="NodeOptions.InternalUrl"/>, else where this server listens, a wildcard host read as
    /// <paramref name="advertised"/>), replacing the engine's default that knows only the configured address.
    /// </summary>
    public static IServiceCollection AddCdpRelay(this IServiceCollection services, IConfiguration configuration, IPAddress advertised)
    {
        services.AddSettings<NodeOptions>(configuration, NodeOptions.Section);
        services.Replace(ServiceDescriptor.Singleton<INodeInternalUrl>(sp => ActivatorUtilities.CreateInstance<ListeningNodeInternalUrl>(sp, advertised)));
        return services;
    }
}
