using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// Finds SessionGrid's Chromium processes by the marker switches they are launched with
/// (<c>--sessiongrid-owner=&lt;pid&gt;</c>, <c>--sessiongrid-host=&lt;id&gt;</c>, and a dedicated process's
/// <c>--sessiongrid-process=&lt;number&gt;</c>) and kills those no live host owns.
/// </summary>
public static class ChromiumProcesses
{
    public const string OwnerSwitch = "--sessiongrid-owner=";
    public const string HostSwitch = "--sessiongrid-host=";
    public const string ProcessSwitch = "--sessiongrid-process=";

    /// <summary>Kills the Chromium processes left by SessionGrid hosts that died without closing them.</summary>
    public static int ReapOrphans(ILogger log) =>
        Kill(args => OwnerOf(args) is { } owner && owner != Environment.ProcessId && !IsAlive(owner), log);

    /// <summary>Kills whatever Chromium processes a host instance still has.</summary>
    public static int KillHost(string hostId, ILogger log) =>
        Kill(args => args.Contains(HostSwitch + hostId, StringComparer.Ordinal), log);

    /// <summary>Kills one dedicated Chromium process of a host instance and its children (one that did not close when asked).</summary>
    public static int KillProcess(string hostId, int number, ILogger log) =>
        Kill(args => IsDedicated(args, hostId, number), log);

    /// <summary>
    /// Ends one dedicated Chromium process of a host instance and its children, which nothing needs any more: its process
    /// group at once, else (not a group leader) its tree.
    /// </summary>
    public static void EndProcess(string hostId, int number, ILogger log)
    {
        var root = Find(hostId, number);
        if (root != 0 && !ProcessTable.KillGroup(root))
        {
            Kill(args => IsDedicated(args, hostId, number), log, leftover: false);
        }
    }

    /// <summary>
    /// The CPU time (user and system) one dedicated Chromium process of a host instance and its children have used so
    /// far; zero when it is not found (or not on Linux).
    /// </summary>
    public static TimeSpan TreeCpu(string hostId, int number)
    {
        var root = Find(hostId, number);
        if (root == 0)
        {
            return TimeSpan.Zero;
        }

        var ticks = ProcessTable.Tree(root).Sum(pid => ProcessTable.CpuTicks(pid));
        return TimeSpan.FromSeconds((double)ticks / ProcessTable.TicksPerSecond);
    }

    /// <summary>The browser process of one dedicated Chromium of a host instance; 0 when it is not found.</summary>
    private static int Find(string hostId, int number) =>
        Enumerate().FirstOrDefault(p => IsDedicated(p.Args, hostId, number)).Pid;

    /// <summary>Whether a process's switches mark it as dedicated Chromium process <paramref name="number"/> of host instance <paramref name="hostId"/>.</summary>
    private static bool IsDedicated(string[] args, string hostId, int number) =>
        args.Contains(HostSwitch + hostId, StringComparer.Ordinal) && args.Contains(ProcessSwitch + number, StringComparer.Ordinal);

    private static int Kill(Func<string[], bool> match, ILogger log, bool leftover = true)
    {
        var killed = 0;
        foreach (var (pid, args) in Enumerate())
        {
            if (!match(args))
            {
                continue;
            }

            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                killed++;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                log.LogDebug(ex, "Chromium process {Pid} was already gone", pid);
            }
        }

        if (killed > 0 && leftover)
        {
            log.LogWarning("Killed {Count} leftover Chromium processes", killed);
        }

        return killed;
    }

    private static IEnumerable<(int Pid, string[] Args)> Enumerate()
    {
        if (!Directory.Exists("/proc"))
        {
            yield break;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string raw;
            try
            {
                raw = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (raw.Contains(OwnerSwitch, StringComparison.Ordinal))
            {
                yield return (pid, raw.Split('\0', StringSplitOptions.RemoveEmptyEntries));
            }
        }
    }

    private static int? OwnerOf(string[] args)
    {
        var owner = args.FirstOrDefault(a => a.StartsWith(OwnerSwitch, StringComparison.Ordinal));
        return owner is not null && int.TryParse(owner.AsSpan(OwnerSwitch.Length), out var pid) ? pid : null;
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");
}
