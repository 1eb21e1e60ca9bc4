using System.Text;
using Microsoft.Playwright;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Telemetry;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// What a session's browser is given beyond its device and settings (<see cref="BrowserExtras"/>): its upstream proxy,
/// else the node's default one (<see cref="ProxyOptions"/>); client certificates; extensions; ad blocking; a drawn
/// cursor. A proxy and client certificates are options of Playwright's context, so a shared Chromium hosts contexts with
/// different ones side by side; the warm contexts have the default proxy (or none) and no certificate, so a session with
/// either of its own gets a new context, and a dedicated one a new browser. Extensions live per browser: a session with
/// extensions gets a dedicated Chromium started with them. Ad blocking and the cursor are added to the context when the
/// session takes it, warm or new.
/// </summary>
public sealed partial class BrowserHost
{
    /// <summary>Playwright's launch switches a browser with extensions must not get: it disables every extension by default.</summary>
    private static readonly string[] ExtensionDefaultsDropped = ["--disable-extensions"];

    /// <summary>
    /// Null when the session's extras can be given here, else why not: a proxy whose host the URL policy refuses (no
    /// proxy may point at a metadata address).
    /// </summary>
    public string? Refusal(BrowserExtras extras) => extras.Proxy is { } proxy ? urlPolicy.ProxyRefusal(proxy) : null;

    /// <summary>The proxy a session's requests go through, as errors name it (<c>http://host:port</c>, never credentials); null for none.</summary>
    public string? ProxyShownFor(BrowserExtras extras) => (extras.Proxy ?? _defaultProxy)?.Server;

    /// <summary>
    /// Whether a warm context (or a warm dedicated browser) can serve a session with these extras: one without a proxy,
    /// extensions or client certificates of its own.
    /// </summary>
    private static bool FitsWarm(BrowserExtras? extras) =>
        extras is null || (extras.Proxy is null && extras.Extensions.Count == 0 && extras.Certificates.Count == 0);

    /// <summary>
    /// Unpacks a session's extensions into its dedicated browser's profile folder (which goes with the browser), one
    /// folder each; returns the folders, for <see cref="ExtensionArgs"/>.
    /// </summary>
    private List<string> UnpackExtensions(string profileFolder, IReadOnlyList<ExtensionFiles>? extensions)
    {
        var folders = new List<string>();
        foreach (var extension in extensions ?? [])
        {
            var folder = Path.Combine(profileFolder, "sessiongrid-extensions", extension.Id);
            Directory.CreateDirectory(folder);
            ExtensionPackage.Unpack(extension.Zip, folder, extensionOptions.Value.MaxUnpackedBytes);
            folders.Add(folder);
        }

        return folders;
    }

    /// <summary>
    /// Chromium's switches for a browser started with extensions, and only them: loaded unpacked, every other disabled.
    /// New headless Chromium (what <c>--headless</c> is since Chromium 132) runs extensions.
    /// </summary>
    private static IEnumerable<string> ExtensionArgs(IReadOnlyList<string> folders) => folders.Count == 0
        ? []
        : [$"--load-extension={string.Join(',', folders)}", $"--disable-extensions-except={string.Join(',', folders)}"];

    /// <summary>Stops the start when the node's default proxy points where the URL policy refuses.</summary>
    private void CheckDefaultProxy()
    {
        if (_defaultProxy is { } proxy && urlPolicy.ProxyRefusal(proxy) is { } refused)
        {
            throw new InvalidOperationException($"{ProxyOptions.Section}:Server: {refused}");
        }
    }

    /// <summary>A context's options with the session's extras: its proxy (or the default one), its client certificates.</summary>
    private BrowserNewContextOptions Equip(BrowserNewContextOptions options, BrowserExtras? extras)
    {
        options.Proxy = ToPlaywright(extras?.Proxy ?? _defaultProxy);
        if (extras?.Certificates is { Count: > 0 } certificates)
        {
            options.ClientCertificates = [.. certificates.SelectMany(ToPlaywright)];
        }

        return options;
    }

    /// <summary>
    /// Playwright's client certificates: one per origin the certificate is for. Playwright offers them through a TLS proxy
    /// in its driver, which checks those origins' server certificates against Node's CA store (<c>NODE_EXTRA_CA_CERTS</c>
    /// adds a private CA) and makes Chromium skip its own certificate checks in the context (docs/browser-options.md).
    /// </summary>
    private static IEnumerable<ClientCertificate> ToPlaywright(SessionCertificate certificate) => certificate.Origins.Select(origin => new ClientCertificate
    {
        Origin = origin,
        Pfx = certificate.Pkcs12,
        Cert = certificate.CertificatePem is { } pem ? Encoding.UTF8.GetBytes(pem) : null,
        Key = certificate.KeyPem is { } key ? Encoding.UTF8.GetBytes(key) : null,
        Passphrase = certificate.Password,
    });

    /// <summary>The lease with what is added to a context once it is the session's (<see cref="EquipAsync"/>). A context that fails here is closed.</summary>
    private async Task<BrowserLease> EquippedAsync(BrowserLease lease, BrowserExtras? extras)
    {
        try
        {
            await EquipAsync(lease.Context, extras);
            return lease;
        }
        catch (PlaywrightException ex)
        {
            await lease.DisposeAsync();
            throw new BrowserUnavailableException($"Could not open a browser context: {PlaywrightErrors.FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>
    /// What is added to a session's context once it is the session's: the drawn cursor (<see cref="DrawnCursor"/>), and
    /// ad blocking: its pages' requests to a host on the block list (<see cref="BlockList"/>) are aborted and counted,
    /// except a top-level navigation, which the session asked for itself.
    /// </summary>
    private async Task EquipAsync(IBrowserContext context, BrowserExtras? extras)
    {
        if (extras?.ShowCursor == true)
        {
            await context.AddInitScriptAsync(DrawnCursor.Script);
            foreach (var page in context.Pages.Where(p => !p.IsClosed))
            {
                await page.EvaluateAsync(DrawnCursor.Script);
            }
        }

        if (extras?.BlockAds == true)
        {
            await context.RouteAsync(blockList.Requests, route =>
            {
                if (route.Request.IsNavigationRequest && route.Request.Frame.ParentFrame is null)
                {
                    return route.FallbackAsync();
                }

                SessionGridMetrics.AdBlocked(route.Request.ResourceType);
                return route.AbortAsync("blockedbyclient");
            });
        }
    }

    /// <summary>
    /// Playwright's proxy. Chromium reaches loopback directly behind any proxy unless told <c>&lt;-loopback&gt;</c>, so
    /// the bypass list always starts with it: loopback goes through the proxy too, unless the list names a loopback host.
    /// </summary>
    private static Proxy? ToPlaywright(UpstreamProxy? proxy) => proxy is null ? null : new Proxy
    {
        Server = proxy.Server,
        Username = proxy.Username,
        Password = proxy.Password,
        Bypass = proxy.Bypass is { } bypass ? "<-loopback>," + bypass : "<-loopback>",
    };
}

/// <summary>An extension a session loads: its id and its checked package (<see cref="ExtensionPackage"/>).</summary>
public sealed record ExtensionFiles(string Id, byte[] Zip);
