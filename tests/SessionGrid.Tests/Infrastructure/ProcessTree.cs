namespace SessionGrid.Tests.Infrastructure;

/// <summary>Reads the process table from /proc: who is whose child, and which processes are SessionGrid's Chromium.</summary>
public static class ProcessTree
{
    public static IReadOnlyList<int> ChromiumOfHost(string hostId) => Matching($"--sessiongrid-host={hostId}");

    public static IReadOnlyList<int> ChromiumOwnedBy(int ownerPid) => Matching($"--sessiongrid-owner={ownerPid}");

    /// <summary>Whether <paramref name="pid"/> is a running process (not gone, not a zombie).</summary>
    public static bool Alive(int pid) => Stat(pid) is { } fields && fields[0] != "Z";

    /// <summary>Every live process descending from <paramref name="root"/>.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var pid in Pids())
        {
            if (ParentOf(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        return [.. parents.Keys.Where(pid => IsDescendant(pid, root, parents))];
    }

    private static bool IsDescendant(int pid, int root, Dictionary<int, int> parents)
    {
        for (var current = pid; parents.TryGetValue(current, out var parent); current = parent)
        {
            if (parent == root)
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<int> Matching(string marker) =>
        [.. Pids().Where(pid => CommandLine(pid)?.Contains(marker, StringComparison.Ordinal) == true && !IsZombie(pid))];

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : -1).Where(pid => pid > 0);

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? ParentOf(int pid) => Stat(pid) is { } fields && int.TryParse(fields[1], out var parent) ? parent : null;

    private static bool IsZombie(int pid) => Stat(pid) is not { } fields || fields[0] == "Z";
}
