using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Hosting;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The HTTP front end's services: API settings and the accepted API keys (as hashes).</summary>
    public static IServiceCollection AddSessionGridApi(this IServiceCollection services, IConfiguration configuration, IEnumerable<string> apiKeyHashes)
    {
        services.Configure<ApiOptions>(configuration.GetSection(ApiOptions.Section));
        services.Configure<SessionFileOptions>(configuration.GetSection(SessionFileOptions.Section));
        services.Configure<AgentOptions>(configuration.GetSection(AgentOptions.Section));
        services.Configure<BrowsingOptions>(configuration.GetSection(BrowsingOptions.Section));
        services.AddSingleton<BrowsingApi.BrowsingTemplates>();
        services.AddSingleton(new ApiKeyRegistry(apiKeyHashes));
        return services;
    }
}
