using System.Globalization;
using System.Runtime.InteropServices;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The process table from /proc (Linux): a process and every process under it, and the CPU time each has used. Empty
/// and zero elsewhere, and for processes gone meanwhile.
/// </summary>
public static class ProcessTable
{
    /// <summary>Clock ticks a second in /proc/&lt;pid&gt;/stat (USER_HZ, 100 on Linux).</summary>
    public const int TicksPerSecond = 100;

    /// <summary><paramref name="root"/> and every process under it, now.</summary>
    public static HashSet<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        if (Directory.Exists("/proc"))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && StatFields(pid) is { } fields)
                {
                    parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }
        }

        var tree = new HashSet<int> { root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                grew |= tree.Contains(parent) && tree.Add(pid);
            }
        }

        return tree;
    }

    /// <summary>
    /// The clock ticks (user and system) <paramref name="pid"/> has used; with <paramref name="waitedChildren"/> also
    /// those of its ended children it waited for (an ffmpeg that exited counts there).
    /// </summary>
    public static long CpuTicks(int pid, bool waitedChildren = false) =>
        StatFields(pid) is { } fields
            ? fields[11..(waitedChildren ? 15 : 13)].Sum(f => long.Parse(f, CultureInfo.InvariantCulture))
            : 0;

    /// <summary>
    /// Kills <paramref name="leader"/> and the rest of its process group at once (SIGKILL), when it leads one (Playwright
    /// starts Chromium as a group leader, and its zygotes, renderers and utility processes stay in the group): one
    /// system call, without walking the process table for its tree. False when it is no group leader or is gone.
    /// </summary>
    public static bool KillGroup(int leader) =>
        StatFields(leader) is { } fields && fields[2] == leader.ToString(CultureInfo.InvariantCulture) && Kill(-leader, SigKill) == 0;

    private const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command's closing parenthesis (state, ppid, … utime is 11, stime 12, cutime 13, cstime 14); null when gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
