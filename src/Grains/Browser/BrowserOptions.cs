using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Grains.Browser;

/// <summary>Settings under <c>SessionGrid:Browser</c>.</summary>
public sealed class BrowserOptions : IValidatableObject
{
    public const string Section = "SessionGrid:Browser";

    /// <summary>Chromium to launch; when empty, the first of /usr/bin/chromium, chromium, chromium-browser, google-chrome found.</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>
    /// Whether dedicated browsers without extensions run Chromium's headless shell (Debian's
    /// <c>chromium-headless-shell</c>, the same engine without the full browser's UI layers) when it is installed: it
    /// starts in about a third of the time and CPU. Browsers with extensions, and the shared ones, run
    /// <see cref="ExecutablePath"/>.
    /// </summary>
    public bool HeadlessShell { get; set; } = true;

    /// <summary>The headless shell to run; when empty, <c>/usr/lib/chromium/chromium-headless-shell</c> or <c>chromium-headless-shell</c> on the PATH.</summary>
    public string? HeadlessShellPath { get; set; }

    /// <summary>Ready desktop contexts kept open so that opening a session does not wait for one.</summary>
    [Range(0, int.MaxValue)]
    public int WarmContexts { get; set; } = 2;

    /// <summary>
    /// Chromium processes launched ahead for sessions with a browser of their own (dedicated isolation, desktop, default
    /// settings), so that opening one does not wait for a launch: the pool's size while such sessions are being opened.
    /// By default 5 per core (10 on 2 cores), at least 2 and at most 40: a burst of that many finds its browsers ready.
    /// Once none was opened for <see cref="WarmDedicatedIdleSeconds"/>, the pool shrinks to <see cref="WarmDedicatedIdle"/>.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int WarmDedicated { get; set; } = Math.Clamp(5 * Environment.ProcessorCount, 2, 40);

    /// <summary>
    /// The most the dedicated pool grows to while in use. Each session that finds the pool empty (and so waits for a
    /// launch) adds one browser to the pool's size, from <see cref="WarmDedicated"/> up to this: a client that keeps
    /// draining the pool (back-to-back sessions, bursts) finds a deeper one from then on. Once the pool is idle
    /// (<see cref="WarmDedicatedIdleSeconds"/>) its in-use size is <see cref="WarmDedicated"/> again. By default twice
    /// <see cref="WarmDedicated"/> (10 per core: 20 on 2 cores); never below <see cref="WarmDedicated"/>, nor above
    /// <see cref="MaxContexts"/>. An idle headless shell costs about 86 MB (PSS), so 20 cost about 1.7 GB while in use.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int? WarmDedicatedMax { get; set; }

    /// <summary>The dedicated pool's largest in-use size (<see cref="WarmDedicatedMax"/> as applied); 0 without a pool.</summary>
    public int WarmDedicatedCeiling => WarmDedicated == 0 ? 0 : Math.Max(WarmDedicated, Math.Min(MaxContexts, WarmDedicatedMax ?? 2 * WarmDedicated));

    /// <summary>
    /// The dedicated pool's size when idle (at start, and after <see cref="WarmDedicatedIdleSeconds"/> without a dedicated
    /// session): each costs an idle Chromium's memory. At most <see cref="WarmDedicated"/>.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int WarmDedicatedIdle { get; set; } = 1;

    /// <summary>How long without a dedicated session opening before the dedicated pool shrinks to <see cref="WarmDedicatedIdle"/>.</summary>
    [Range(1, 86400)]
    public int WarmDedicatedIdleSeconds { get; set; } = 300;

    /// <summary>
    /// Dedicated browsers launched at once to refill the pool while no session waits for one (a launch takes about a core
    /// for a few hundred ms: this bounds the CPU refills take from running sessions); by default half the cores, at least 1.
    /// </summary>
    [Range(1, 1024)]
    public int WarmRefillLaunches { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Dedicated browsers launched at once, for waiting sessions and refills together; by default one per core.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentLaunches { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// How long the host's browsers must have been idle (no action running, no session opening) before the warm pool
    /// takes a context back; a pool at or below a quarter of its size refills at once.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int WarmRefillQuietMs { get; set; } = 250;

    /// <summary>Contexts (sessions plus warm ones) per shared Chromium process before another process is launched.</summary>
    [Range(1, int.MaxValue)]
    public int MaxContextsPerProcess { get; set; } = 16;

    /// <summary>Sessions this silo hosts at most; placement prefers the silo with the most free, and more wait in a queue.</summary>
    [Range(1, int.MaxValue)]
    public int MaxContexts { get; set; } = 50;

    /// <summary>Sessions that may wait for a free context on this silo; one more is refused at submit (429). 0: none wait.</summary>
    [Range(0, int.MaxValue)]
    public int MaxQueuedSessions { get; set; } = 20;

    /// <summary>How long a waiting session waits for a free context before it fails (<c>no_capacity</c>); 0: it fails at once.</summary>
    [Range(0, int.MaxValue)]
    public int QueueTimeoutSeconds { get; set; } = 20;

    /// <summary>How long a Chromium launch may take (0 would be no limit to Playwright, so it is refused).</summary>
    [Range(1, 3600)]
    public int LaunchTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// An operator's own list of ad and tracker hosts for sessions with ad blocking (hosts or Adblock-domain format),
    /// instead of the built-in one (<see cref="BlockList"/>); none: the built-in list.
    /// </summary>
    public string? BlockListPath { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxConcurrentLaunches >= 1 && WarmRefillLaunches > MaxConcurrentLaunches)
        {
            yield return new ValidationResult(
                $"must be at most MaxConcurrentLaunches ({MaxConcurrentLaunches}) (got {WarmRefillLaunches})", [nameof(WarmRefillLaunches)]);
        }

        if (WarmDedicatedMax is { } most && most >= 0 && most < WarmDedicated)
        {
            yield return new ValidationResult($"must be at least WarmDedicated ({WarmDedicated}) (got {most})", [nameof(WarmDedicatedMax)]);
        }

        if (!string.IsNullOrWhiteSpace(BlockListPath) && !File.Exists(BlockListPath))
        {
            yield return new ValidationResult($"must name a readable file of hosts to block (got '{BlockListPath}', which does not exist)", [nameof(BlockListPath)]);
        }
    }
}
