using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Common;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Agent;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Downloads;
using SessionGrid.Grains.Recording;
using SessionGrid.Grains.Sessions;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Grains.Hosting;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The silo-local engine services: browser host, action runner, URL policy, artifact sweeper, the vault's cipher
    /// (the host registers the <see cref="IArtifactStore"/> of its storage mode and the <see cref="VaultKey"/>, and may
    /// replace the <see cref="ILiveViewLinks"/> that knows no live view and the <see cref="INodeInternalUrl"/> that knows
    /// only the configured address). Register before the silo so the
    /// browser host starts first and stops last (after every session grain closed its context).
    /// </summary>
    public static IServiceCollection AddSessionGridEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<BrowserOptions>(configuration, BrowserOptions.Section);
        services.AddSettings<ProxyOptions>(configuration, ProxyOptions.Section);
        services.AddSettings<ExtensionOptions>(configuration, ExtensionOptions.Section);
        services.AddSettings<ActionOptions>(configuration, ActionOptions.Section);
        services.AddSettings<UrlPolicyOptions>(configuration, UrlPolicyOptions.Section);
        services.AddSettings<SessionOptions>(configuration, SessionOptions.Section);
        services.AddSettings<SessionFileOptions>(configuration, SessionFileOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UrlPolicy>();
        services.AddSingleton<ActionRunner>();
        services.AddSingleton<SessionServices>();
        services.AddSettings<VaultOptions>(configuration, VaultOptions.Section);
        services.AddSettings<Profiles.ProfileOptions>(configuration, Profiles.ProfileOptions.Section);
        services.AddSingleton<VaultCipher>();
        services.AddSettings<DownloadOptions>(configuration, DownloadOptions.Section);
        services.AddSettings<RecordingOptions>(configuration, RecordingOptions.Section);
        services.AddSingleton<ArtifactLinks>();
        services.AddSingleton<Recordings>();
        services.AddHostedService(sp => sp.GetRequiredService<Recordings>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Recordings>());
        services.TryAddSingleton<IArtifactUrls, NoArtifactUrls>();
        services.TryAddSingleton<ILiveViewLinks, NoLiveViewLinks>();
        services.AddSettings<NodeOptions>(configuration, NodeOptions.Section);
        services.TryAddSingleton<INodeInternalUrl, ConfiguredNodeInternalUrl>();
        services.AddSingleton<Authenticator>();
        services.AddSettings<AgentOptions>(configuration, AgentOptions.Section);
        services.AddSingleton<AgentModel>();
        services.AddSingleton<AgentCaptures>();
        services.AddSingleton<AgentRunner>();
        services.AddSettings<BrowsingOptions>(configuration, BrowsingOptions.Section);
        services.AddSingleton<NodeDirectory>();
        services.AddSingleton<SessionSlots>();
        services.AddSingleton<ClusterCapacity>();
        services.AddSingleton<Nodes.NodeDrain>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterCapacity>());
        services.AddPlacementDirector<BrowserCapacityPlacement, BrowserCapacityPlacementDirector>();
        services.AddSingleton<Sessions.NodeLossWatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Sessions.NodeLossWatcher>());
        services.AddHostedService<ArtifactSweeper>();
        services.AddSingleton<BlockList>();
        services.AddSingleton<BrowserHost>();
        services.AddHostedService(sp => sp.GetRequiredService<BrowserHost>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<BrowserHost>());
        services.AddSingleton<IDevToolsEndpoints>(sp => sp.GetRequiredService<BrowserHost>());
        return services;
    }
}
