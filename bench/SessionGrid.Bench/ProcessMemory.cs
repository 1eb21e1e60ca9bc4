using SessionGrid.Grains.Browser;

namespace SessionGrid.Bench;

/// <summary>
/// Memory of a process and all its descendants, from /proc (Linux): the sum of their RSS (which counts pages the
/// processes share, such as Chromium's code, once per process) and of their PSS (each shared page split between its sharers).
/// </summary>
public static class ProcessMemory
{
    public static long TreeRssBytes(int root) => ProcessTable.Tree(root).Sum(pid => Field($"/proc/{pid}/status", "VmRSS:"));

    public static long TreePssBytes(int root) => ProcessTable.Tree(root).Sum(pid => Field($"/proc/{pid}/smaps_rollup", "Pss:"));

    /// <summary>A "Name: N kB" line of a /proc file, in bytes; 0 when the process is gone.</summary>
    private static long Field(string path, string name)
    {
        var line = TryRead(path)?.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
