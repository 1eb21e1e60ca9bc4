using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;
using Orleans.Runtime;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Telemetry;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The silo's browsers: one Playwright driver, a few shared Chromium processes hosting one context per session,
/// a warm pool of ready desktop contexts, and a Chromium process of its own for each session that asked for one
/// (<c>BrowserHost.Dedicated.cs</c>). A Chromium process that dies fails only the sessions it hosted and is
/// replaced; when the host stops, no Chromium process it launched is left running.
/// </summary>
public sealed partial class BrowserHost(
    IOptions<BrowserOptions> options,
    IOptions<ProxyOptions> proxyOptions,
    IOptions<ExtensionOptions> extensionOptions,
    BlockList blockList,
    UrlPolicy urlPolicy,
    IGrainFactory grains,
    ILogger<BrowserHost> log) : IHostedService, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly BrowserOptions _options = options.Value;
    private readonly UpstreamProxy? _defaultProxy = proxyOptions.Value.Proxy;
    private readonly string _hostId = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _launchGate = new(1, 1);
    private readonly SemaphoreSlim _driverGate = new(1, 1);
    private readonly List<ChromiumProcess> _processes = [];
    private readonly WarmPool _warm = new(options.Value.WarmContexts, lowWater: options.Value.WarmContexts / 4);
    private IPlaywright? _playwright;
    private string? _chromiumVersion;
    private int _processNumber;
    private volatile bool _stopping;

    /// <summary>The marker Chromium processes of this host instance carry, for tests and diagnostics.</summary>
    public string HostId => _hostId;

    /// <summary>Live Chromium processes, shared and dedicated.</summary>
    /// <summary>The version of the Chromium this host launched; null until one ran.</summary>
    public string? ChromiumVersion => _chromiumVersion;

    public int ProcessCount
    {
        get
        {
            lock (_processes)
            {
                return _processes.Count(p => p.Alive);
            }
        }
    }

    /// <summary>Browser contexts open in this host's live Chromium processes: sessions and the warm pool.</summary>
    public int ContextCount
    {
        get
        {
            lock (_processes)
            {
                return _processes.Where(p => p.Alive).Sum(p => p.Contexts);
            }
        }
    }

    /// <summary>The sessions whose contexts live in this host's browsers now.</summary>
    public IReadOnlyList<string> HostedSessions
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes.SelectMany(p => p.Sessions())];
            }
        }
    }

    /// <summary>
    /// Ends every hosted session as the silo begins to stop, while their task records can still be written;
    /// the browsers themselves close when the host stops, after the silo.
    /// </summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BrowserHost), ServiceLifecycleStage.Active, _ => Task.CompletedTask, EndSessionsAsync);

    private async Task EndSessionsAsync(CancellationToken cancellationToken)
    {
        var hosted = HostedSessions;
        var detail = $"{SessionEndReasons.HostStopping}: the SessionGrid host shut down while the session was open";
        try
        {
            await Task.WhenAll(hosted.Select(id => NotifyGoneAsync(id, SessionEndReasons.HostStopping, detail))).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of time: the remaining tasks read as lost once this host is gone.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        CheckDefaultProxy();
        LogBlockList(blockList.Hosts.Count, blockList.Source, blockList.Skipped);
        SessionGridMetrics.Track(this);
        ChromiumProcesses.ReapOrphans(log);
        DedicatedProfile.ReapOrphans(log);
        _ = Task.Run(RefillAsync, CancellationToken.None);
        _ = Task.Run(RunDedicatedPoolAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Opens a context for a session: a warm one when the device, settings and extras allow, else a new one. A context
    /// that starts from a saved <paramref name="storageState"/> (Playwright's JSON: cookies and localStorage) is always new.
    /// </summary>
    public async Task<BrowserLease> AcquireAsync(
        string sessionId, DeviceKind device, BrowserSettings? settings, CancellationToken cancellationToken, string? storageState = null, BrowserExtras? extras = null)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        using var working = Working();
        if (device == DeviceKind.Desktop && settings is null && storageState is null && FitsWarm(extras))
        {
            while (_warm.TryTake(out var warm))
            {
                warm.Process.Attach(sessionId);
                if (warm.Process.Alive && !warm.Page.IsClosed)
                {
                    _ = Task.Run(RefillAsync, CancellationToken.None);
                    return await EquippedAsync(new BrowserLease(sessionId, warm.Process, warm.Context, warm.Page), extras);
                }

                await new BrowserLease(sessionId, warm.Process, warm.Context, warm.Page).DisposeAsync();
            }

            _ = Task.Run(RefillAsync, CancellationToken.None);
        }

        var process = await GetProcessAsync(cancellationToken);
        var (context, page) = await NewContextAsync(process, device, settings, storageState, extras);
        process.Attach(sessionId);
        var lease = new BrowserLease(sessionId, process, context, page);
        if (!process.Alive)
        {
            await lease.DisposeAsync();
            throw new BrowserUnavailableException("The Chromium process for this session exited while the session was opening.");
        }

        return await EquippedAsync(lease, extras);
    }

    /// <summary>
    /// Returns once a Chromium process is running, launching one when none is (the readiness probe's question: can
    /// this host give a session a browser?). Throws <see cref="BrowserUnavailableException"/> when Chromium cannot
    /// start, and <see cref="ObjectDisposedException"/> once the host is stopping.
    /// </summary>
    public async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (ProcessCount > 0)
        {
            return;
        }

        await _launchGate.WaitAsync(cancellationToken);
        try
        {
            if (ProcessCount == 0)
            {
                await LaunchAsync();
            }
        }
        finally
        {
            _launchGate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        FailDedicatedWaiters();
        SessionGridMetrics.Untrack(this);
        List<ChromiumProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
            _processes.Clear();
        }

        foreach (var process in processes)
        {
            try
            {
                await process.Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (Exception ex)
            {
                LogCloseFailed(ex, process.Number);
            }
        }

        _playwright?.Dispose();
        _playwright = null;
        ChromiumProcesses.KillHost(_hostId, log);
        foreach (var folder in processes.Select(p => p.ProfileFolder).OfType<string>())
        {
            DedicatedProfile.Delete(folder, log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping)
        {
            await StopAsync(CancellationToken.None);
        }

        _launchGate.Dispose();
        _driverGate.Dispose();
        _dedicatedSignal.Dispose();
        _dedicatedLaunchGate.Dispose();
    }

    private async Task<ChromiumProcess> GetProcessAsync(CancellationToken cancellationToken)
    {
        if (PickProcess() is { } ready)
        {
            return ready;
        }

        await _launchGate.WaitAsync(cancellationToken);
        try
        {
            return PickProcess() ?? await LaunchAsync();
        }
        finally
        {
            _launchGate.Release();
        }
    }

    private ChromiumProcess? PickProcess()
    {
        lock (_processes)
        {
            return _processes
                .Where(p => p.Alive && !p.Dedicated && p.Contexts < _options.MaxContextsPerProcess)
                .OrderBy(p => p.Contexts)
                .FirstOrDefault();
        }
    }

    private async Task<ChromiumProcess> LaunchAsync()
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var executable = Executable();
        IBrowser browser;
        try
        {
            var driver = await DriverAsync();
            browser = await driver.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                ChromiumSandbox = !IsRoot(),
                Timeout = _options.LaunchTimeoutSeconds * 1000,
                Args = LaunchArgs(),
            });
        }
        catch (PlaywrightException ex)
        {
            throw new BrowserUnavailableException($"Chromium ({executable}) failed to start: {PlaywrightErrors.FirstLine(ex.Message)}", ex);
        }

        _chromiumVersion = browser.Version;
        var process = new ChromiumProcess(Interlocked.Increment(ref _processNumber), browser);
        browser.Disconnected += (_, _) => OnDisconnected(process);
        lock (_processes)
        {
            _processes.Add(process);
        }

        LogLaunched(process.Number, browser.Version);
        return process;
    }

    private string Executable() => ChromiumLocator.Find(_options.ExecutablePath) ?? throw new BrowserUnavailableException(
        "Chromium was not found: install the OS package (apt-get install chromium) or set SessionGrid:Browser:ExecutablePath.");

    /// <summary>The Playwright driver, started by the first launch.</summary>
    private async Task<IPlaywright> DriverAsync()
    {
        await _driverGate.WaitAsync();
        try
        {
            return _playwright ??= await Playwright.CreateAsync();
        }
        finally
        {
            _driverGate.Release();
        }
    }

    /// <summary>Every Chromium's switches: a server's flags, the URL policy's resolver rules, and this host's markers (for reaping).</summary>
    private List<string> LaunchArgs() =>
    [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        ChromiumFeatures.DisableSwitch,
        "--host-resolver-rules=" + urlPolicy.HostResolverRules,
        ChromiumProcesses.OwnerSwitch + Environment.ProcessId,
        ChromiumProcesses.HostSwitch + _hostId,
    ];

    /// <summary>
    /// The URL policy on every request and WebSocket of a context's pages: refused ones are aborted before they leave
    /// the browser; so are requests to the DevTools ports of this host's dedicated browsers.
    /// </summary>
    private async Task ApplyUrlPolicyAsync(IBrowserContext context)
    {
        await context.RouteAsync(urlPolicy.RefusedRequests, route => route.AbortAsync("blockedbyclient"));
        await context.RouteWebSocketAsync(urlPolicy.RefusedRequests, socket => _ = socket.CloseAsync(new() { Code = 1008, Reason = "url_refused" }));
        await RefuseDevToolsPortsAsync(context);
    }

    private async Task<(IBrowserContext Context, IPage Page)> NewContextAsync(
        ChromiumProcess process, DeviceKind device, BrowserSettings? settings, string? storageState = null, BrowserExtras? extras = null)
    {
        process.Reserve();
        IBrowserContext? context = null;
        try
        {
            var contextOptions = Equip(DeviceProfiles.For(device, process.Browser.Version, settings), extras);
            contextOptions.StorageState = storageState;
            context = await process.Browser.NewContextAsync(contextOptions);
            await ApplyUrlPolicyAsync(context);

            var page = await context.NewPageAsync();
            return (context, page);
        }
        catch (PlaywrightException ex)
        {
            process.Release();
            if (context is not null)
            {
                await context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            throw new BrowserUnavailableException($"Could not open a browser context: {PlaywrightErrors.FirstLine(ex.Message)}", ex);
        }
    }

    private void OnDisconnected(ChromiumProcess process)
    {
        var hosted = process.MarkDead();
        lock (_processes)
        {
            _processes.Remove(process);
        }

        if (_stopping || (process.Dedicated && hosted.Count == 0))
        {
            // Stopping, or a dedicated process closing with its session.
            return;
        }

        LogCrashed(process.Number, hosted.Count);
        var detail = $"{SessionEndReasons.BrowserCrashed}: the Chromium process hosting this session exited unexpectedly";
        foreach (var sessionId in hosted)
        {
            _ = NotifyGoneAsync(sessionId, SessionEndReasons.BrowserCrashed, detail);
        }

        _ = Task.Run(RefillAsync, CancellationToken.None);
    }

    private async Task NotifyGoneAsync(string sessionId, string endReason, string detail)
    {
        try
        {
            await grains.GetGrain<ISessionGrain>(sessionId).BrowserGoneAsync(endReason, detail);
        }
        catch (Exception ex)
        {
            LogNotifyFailed(ex, sessionId);
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private static bool IsRoot() => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Chromium process {Number} started (version {Version})")]
    private partial void LogLaunched(int number, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Chromium process {Number} exited unexpectedly; failing the {Count} sessions it hosted")]
    private partial void LogCrashed(int number, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing Chromium process {Number} failed")]
    private partial void LogCloseFailed(Exception ex, int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell session {SessionId} that its browser was lost")]
    private partial void LogNotifyFailed(Exception ex, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ad blocking blocks {Count} hosts from {Source} ({Skipped} lines were no host rule)")]
    private partial void LogBlockList(int count, string source, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm context pool not filled: {Reason}")]
    private partial void LogWarmFailed(string reason);
}
