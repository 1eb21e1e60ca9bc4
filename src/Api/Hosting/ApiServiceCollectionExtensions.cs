using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Cdp;
using SessionGrid.Api.Http;
using SessionGrid.Api.Limits;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Hosting;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// The HTTP front end's services: API settings, the accepted API keys (as hashes; issued keys are asked of their
    /// grains), the admin keys, the per-key limits, the live view's links (which replace the engine's default that
    /// knows no live view), and the CDP endpoints' links.
    /// </summary>
    public static IServiceCollection AddSessionGridApi(this IServiceCollection services, IConfiguration configuration, IEnumerable<string> apiKeyHashes)
    {
        services.Configure<ApiOptions>(configuration.GetSection(ApiOptions.Section));
        services.Configure<SessionFileOptions>(configuration.GetSection(SessionFileOptions.Section));
        services.Configure<AgentOptions>(configuration.GetSection(AgentOptions.Section));
        services.Configure<BrowsingOptions>(configuration.GetSection(BrowsingOptions.Section));
        services.AddSingleton<BrowsingApi.BrowsingTemplates>();
        services.AddSingleton(new ApiKeyRegistry(apiKeyHashes));
        services.AddSingleton(new AdminKeyRegistry(new ApiKeyRegistry(ConfiguredKeys.Read(configuration, AdminKeyRegistry.Setting).Select(ApiKeyHash.Of))));
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddOptions<LimitOptions>().Bind(configuration.GetSection(LimitOptions.Section))
            .Validate(o => o.IsValid(), $"{LimitOptions.Section}: RequestsPerSecond and MaxConcurrentSessions must be 0 or more, Burst 1 or more")
            .ValidateOnStart();
        services.AddSingleton<RequestRateLimiter>();
        services.AddOptions<LiveViewOptions>().Bind(configuration.GetSection(LiveViewOptions.Section))
            .Validate(o => o.IsValid(), $"{LiveViewOptions.Section}:PublicBaseUrl must be an absolute http or https URL without query or fragment")
            .ValidateOnStart();
        services.AddSingleton<LiveViewLinks>();
        services.Replace(ServiceDescriptor.Singleton<ILiveViewLinks>(sp => sp.GetRequiredService<LiveViewLinks>()));
        services.AddSingleton<CdpLinks>();
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
        services.AddOptions<NodeOptions>().Bind(configuration.GetSection(NodeOptions.Section))
            .Validate(o => o.IsValid(), $"{NodeOptions.Section}:InternalUrl must be an absolute http or https URL without query or fragment")
            .ValidateOnStart();
        services.Replace(ServiceDescriptor.Singleton<INodeInternalUrl>(sp => ActivatorUtilities.CreateInstance<ListeningNodeInternalUrl>(sp, advertised)));
        return services;
    }
}
