using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Agent;
using SessionGrid.Grains.Artifacts;
using SessionGrid.Grains.Browser;
using SessionGrid.Grains.Downloads;
using SessionGrid.Grains.Placement;
using SessionGrid.Grains.Profiles;
using SessionGrid.Grains.Recording;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The silo's services and settings a session grain works with, in one parameter object (one per silo): its browsers,
/// the action runner and the agent, the artifact store, its share of the silo's capacity, and the links it hands out.
/// </summary>
public sealed class SessionServices(
    BrowserHost browsers,
    ActionRunner actions,
    AgentRunner agent,
    IArtifactStore artifacts,
    SessionSlots slots,
    ILiveViewLinks liveViewLinks,
    INodeInternalUrl nodeUrl,
    IOptions<SessionOptions> session,
    IOptions<SessionFileOptions> files,
    IOptions<AgentOptions> agentOptions,
    IOptions<BrowserOptions> browserOptions,
    IOptions<ProfileOptions> profileOptions,
    IOptions<ActionOptions> actionOptions,
    ArtifactLinks artifactLinks,
    IArtifactUrls artifactUrls,
    IOptions<DownloadOptions> downloadOptions,
    IOptions<RecordingOptions> recordingOptions,
    Recordings recordings,
    TimeProvider clock)
{
    public BrowserHost Browsers => browsers;

    public ActionRunner Actions => actions;

    public AgentRunner Agent => agent;

    public IArtifactStore Artifacts => artifacts;

    /// <summary>This silo's browser capacity: a session takes a slot before its context opens.</summary>
    public SessionSlots Slots => slots;

    /// <summary>The links of live views (the host replaces the default, which knows none).</summary>
    public ILiveViewLinks LiveViewLinks => liveViewLinks;

    /// <summary>The address this node relays CDP connections at.</summary>
    public INodeInternalUrl NodeUrl => nodeUrl;

    public SessionOptions Session => session.Value;

    public SessionFileOptions Files => files.Value;

    public AgentOptions AgentSettings => agentOptions.Value;

    public BrowserOptions BrowserLimits => browserOptions.Value;

    public ProfileOptions Profiles => profileOptions.Value;

    public ActionOptions ActionSettings => actionOptions.Value;

    public DownloadOptions Downloads => downloadOptions.Value;

    public RecordingOptions Recording => recordingOptions.Value;

    /// <summary>This node's recording service: its ffmpeg (none: recording is off) and its encoders.</summary>
    public Recordings Recordings => recordings;

    public TimeProvider Clock => clock;

    /// <summary>Where the session's own artifacts (downloads, recording) go, and the links that open them.</summary>
    public SessionArtifacts ArtifactsOf(string sessionId) => new(sessionId, artifacts, artifactLinks, artifactUrls, recordingOptions.Value, clock);
}
