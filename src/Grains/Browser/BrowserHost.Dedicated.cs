using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// Dedicated isolation: a session's own Chromium process, launched with the shared processes' switches and markers plus
/// a DevTools port on 127.0.0.1 only (the CDP proxy's upstream, <see cref="IDevToolsEndpoints"/>). It is launched as a
/// persistent context, so the session's context is the browser's default one: a CDP client sees that context with the
/// session's page, and the pages it opens land in it, under the URL policy's routes. The process closes with the
/// session's lease (killed when it does not close in time) and its profile folder is deleted; like every process it is
/// reaped with its host, and when it dies only its session fails.
/// </summary>
public sealed partial class BrowserHost : IDevToolsEndpoints
{
    /// <summary>How long a dedicated process may take to exit once its context closed before it is killed.</summary>
    private static readonly TimeSpan DedicatedExitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Dedicated launches at once (<see cref="BrowserOptions.MaxConcurrentLaunches"/>): more would only share the same cores, each slower.</summary>
    private readonly SemaphoreSlim _dedicatedLaunchGate = new(Math.Max(1, options.Value.MaxConcurrentLaunches));

    /// <summary>
    /// A Chromium process for one session with its context, starting from a saved <paramref name="storageState"/> when
    /// given: a warm one (launched ahead, <see cref="BrowserOptions.WarmDedicated"/>) when the device and settings are
    /// the default ones (or the next one the pool's launcher finishes, <c>BrowserHost.DedicatedPool.cs</c>), else launched now. Throws <see cref="BrowserUnavailableException"/> when it cannot.
    /// </summary>
    /// <param name="extensions">The packages of <paramref name="extras"/>' extensions, which the browser is started with.</param>
    public async Task<BrowserLease> AcquireDedicatedAsync(
        string sessionId, DeviceKind device, BrowserSettings? settings, string? storageState, CancellationToken cancellationToken,
        BrowserExtras? extras = null, IReadOnlyList<ExtensionFiles>? extensions = null)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        using var working = Working();
        var (process, context, watch) = device == DeviceKind.Desktop && settings is null && FitsWarm(extras)
            ? await TakeDedicatedAsync(cancellationToken)
            : WithoutWatch(await LaunchDedicatedAsync(
                Equip(DeviceProfiles.For(device, await ChromiumVersionAsync(cancellationToken), settings), extras), cancellationToken, extensions));
        process.Attach(sessionId);
        try
        {
            if (storageState is not null)
            {
                await RestoreStateAsync(context, process.ProfileFolder!, storageState);
            }

            var page = context.Pages.FirstOrDefault(p => !p.IsClosed) ?? await context.NewPageAsync();
            if (!process.Alive)
            {
                throw new BrowserUnavailableException("The Chromium process for this session exited while the session was opening.");
            }

            LogDedicatedLaunched(process.Number, sessionId);
            await EquipAsync(context, extras);
            return new BrowserLease(sessionId, process, context, page, () => EndDedicatedAsync(process)) { Watch = watch };
        }
        catch (Exception ex) when (ex is PlaywrightException or BrowserUnavailableException)
        {
            process.Detach(sessionId);
            await CloseDedicatedAsync(process);
            throw ex as BrowserUnavailableException ?? new BrowserUnavailableException($"Could not open a dedicated browser: {PlaywrightErrors.FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>
    /// Launches a dedicated process (a persistent context, so the session's context is the browser's default one) with
    /// its DevTools endpoint known and the URL policy's routes on its context.
    /// </summary>
    /// <param name="warmUp">A launch for the pool, whose browsers wait anyway: it makes its first request before it is used (<see cref="WarmUpAsync"/>).</param>
    private async Task<(ChromiumProcess Process, IBrowserContext Context)> LaunchDedicatedAsync(
        BrowserNewContextOptions contextOptions, CancellationToken cancellationToken, IReadOnlyList<ExtensionFiles>? extensions = null, bool warmUp = false)
    {
        var executable = DedicatedExecutable(extensions);
        var number = Interlocked.Increment(ref _processNumber);
        var folder = DedicatedProfile.Create();
        IBrowserContext context;
        try
        {
            var extensionFolders = UnpackExtensions(folder, extensions);
            var driver = await DriverAsync();
            await _dedicatedLaunchGate.WaitAsync(cancellationToken);
            try
            {
                context = await driver.Chromium.LaunchPersistentContextAsync(folder, DedicatedOptions(executable, number, contextOptions, extensionFolders));
            }
            finally
            {
                _dedicatedLaunchGate.Release();
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            DedicatedProfile.Delete(folder, log);
            throw new BrowserUnavailableException($"An extension could not be unpacked for this session: {ex.Message}", ex);
        }
        catch (PlaywrightException ex)
        {
            ChromiumProcesses.KillProcess(_hostId, number, log);
            DedicatedProfile.Delete(folder, log);
            throw new BrowserUnavailableException($"Chromium ({executable}) failed to start: {PlaywrightErrors.FirstLine(ex.Message)}", ex);
        }

        var browser = context.Browser!;
        var process = new ChromiumProcess(number, browser) { ProfileFolder = folder };
        process.Reserve();
        browser.Disconnected += (_, _) => OnDisconnected(process);
        lock (_processes)
        {
            _processes.Add(process);
        }

        try
        {
            process.DevTools = await DedicatedProfile.DevToolsAsync(folder, TimeSpan.FromSeconds(_options.LaunchTimeoutSeconds), cancellationToken);
            if (warmUp && await WarmUpAsync(context, process.DevTools))
            {
                Interlocked.Increment(ref _warmedUp);
            }

            await ApplyUrlPolicyAsync(context);
            _chromiumVersion = browser.Version;
            return (process, context);
        }
        catch (Exception ex) when (ex is PlaywrightException or BrowserUnavailableException or OperationCanceledException)
        {
            await CloseDedicatedAsync(process);
            throw ex as BrowserUnavailableException ?? new BrowserUnavailableException($"Could not open a dedicated browser: {PlaywrightErrors.FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>
    /// A browser's first HTTP request starts its network stack (the network service's cache and cookie store, a renderer
    /// for a site): a pooled browser makes one ahead, so that its session's first navigation does not pay for it
    /// (bench/RESULTS.md: about 15 ms of the external client's goto). It asks its own DevTools port for
    /// <c>/json/version</c> in a page of its own, closed again, before the URL policy's routes (which refuse that port)
    /// are on and before any session or client can see the browser. Only a gain: a warm-up that fails changes nothing.
    /// True when the browser answered.
    /// </summary>
    private static async Task<bool> WarmUpAsync(IBrowserContext context, Uri devTools)
    {
        IPage? page = null;
        try
        {
            page = await context.NewPageAsync();
            var response = await page.GotoAsync($"http://127.0.0.1:{devTools.Port}/json/version", new() { Timeout = 5_000 });
            return response?.Ok == true;
        }
        catch (PlaywrightException)
        {
            // The browser is used as it is.
            return false;
        }
        finally
        {
            if (page is not null)
            {
                await page.CloseAsync().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static (ChromiumProcess Process, IBrowserContext Context, PageWatch? Watch) WithoutWatch((ChromiumProcess Process, IBrowserContext Context) launched) =>
        (launched.Process, launched.Context, null);

    /// <summary>
    /// The headless shell for a browser without extensions (it cannot load any) when <see cref="BrowserOptions.HeadlessShell"/>
    /// is on and one is installed; else the full Chromium.
    /// </summary>
    private string DedicatedExecutable(IReadOnlyList<ExtensionFiles>? extensions) =>
        _options.HeadlessShell && extensions is not { Count: > 0 } && ChromiumLocator.FindHeadlessShell(_options.HeadlessShellPath) is { } shell
            ? shell
            : Executable();

    private async Task CloseDedicatedAsync(ChromiumProcess process)
    {
        process.Release();
        await EndDedicatedAsync(process);
    }

    public Uri? Find(string sessionId)
    {
        lock (_processes)
        {
            return _processes.FirstOrDefault(p => p.Alive && p.Dedicated && p.Hosts(sessionId))?.DevTools;
        }
    }

    /// <summary>
    /// Keeps every page of a context (shared or dedicated, the session's or a CDP client's) from the DevTools ports of
    /// this host's dedicated browsers: they listen on loopback without authentication, and their HTTP side lists (and
    /// closes) another session's pages. Only loopback requests are looked at, and those to a port that is no DevTools
    /// port pass on.
    /// </summary>
    private Task RefuseDevToolsPortsAsync(IBrowserContext context) =>
        context.RouteAsync(LoopbackRequests(), route => IsDevToolsPort(route.Request.Url) ? route.AbortAsync("blockedbyclient") : route.FallbackAsync());

    private bool IsDevToolsPort(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return true;
        }

        lock (_processes)
        {
            return _processes.Any(p => p.DevTools is { } devTools && devTools.Port == uri.Port);
        }
    }

    /// <summary>http(s) URLs of this machine (as Chromium writes them: IPv4 in dotted form, IPv6 compressed).</summary>
    [GeneratedRegex(@"^https?://(?:[^/?#@]*@)?(?:localhost|[^/?#@:]*\.localhost|127(?:\.[0-9]+){3}|0\.0\.0\.0|\[[0:]*1?\])\.?(?::[0-9]+)?(?:[/?#]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex LoopbackRequests();

    /// <summary>
    /// The Chromium version, which the user agent names and a persistent context takes at launch: known from any
    /// launch before, else from the shared process this starts.
    /// </summary>
    private async Task<string> ChromiumVersionAsync(CancellationToken cancellationToken)
    {
        if (_chromiumVersion is null)
        {
            await EnsureRunningAsync(cancellationToken);
        }

        return _chromiumVersion ?? throw new BrowserUnavailableException("The Chromium version is not known: no Chromium process runs.");
    }

    private BrowserTypeLaunchPersistentContextOptions DedicatedOptions(string executable, int number, BrowserNewContextOptions context, IReadOnlyList<string> extensionFolders) => new()
    {
        ExecutablePath = executable,
        Headless = true,
        ChromiumSandbox = !IsRoot(),
        Timeout = _options.LaunchTimeoutSeconds * 1000,
        Args = [.. LaunchArgs(), "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", ChromiumProcesses.ProcessSwitch + number, .. ExtensionArgs(extensionFolders)],
        IgnoreDefaultArgs = extensionFolders.Count > 0 ? [.. ExtensionDefaultsDropped] : null,
        ViewportSize = context.ViewportSize,
        DeviceScaleFactor = context.DeviceScaleFactor,
        IsMobile = context.IsMobile,
        HasTouch = context.HasTouch,
        UserAgent = context.UserAgent,
        Locale = context.Locale,
        TimezoneId = context.TimezoneId,
        Proxy = context.Proxy,
        ClientCertificates = context.ClientCertificates,
        AcceptDownloads = context.AcceptDownloads,
    };

    /// <summary>A persistent context takes a storage state only from a file: written into the (owner-only) profile folder, read, deleted.</summary>
    private static async Task RestoreStateAsync(IBrowserContext context, string folder, string storageState)
    {
        var file = Path.Combine(folder, "sessiongrid-storage-state.json");
        await File.WriteAllTextAsync(file, storageState);
        try
        {
            await context.SetStorageStateAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Ends a dedicated browser that nothing needs any more (its session ended, or it was never given to one): kills its
    /// processes, waits for the driver to see it gone, and deletes its profile folder. Not a graceful close: that would
    /// only spend CPU (about 0.13 s of a core for a headless shell, beside the sessions still running; bench/RESULTS.md)
    /// writing a profile that is deleted next. What a session keeps (its state, downloads, recording) is taken before.
    /// </summary>
    private async ValueTask EndDedicatedAsync(ChromiumProcess process)
    {
        ChromiumProcesses.EndProcess(_hostId, process.Number, log);
        await process.Gone.WaitAsync(DedicatedExitTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        DedicatedProfile.Delete(process.ProfileFolder!, log);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chromium process {Number} given to session {SessionId} alone (dedicated isolation)")]
    private partial void LogDedicatedLaunched(int number, string sessionId);
}
