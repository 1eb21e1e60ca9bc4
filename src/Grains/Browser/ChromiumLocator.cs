namespace SessionGrid.Grains.Browser;

/// <summary>Finds the Chromium executable: the configured path, else the OS package's usual names.</summary>
public static class ChromiumLocator
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"];

    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var candidate in Candidates)
        {
            var path = Path.IsPathRooted(candidate) ? candidate : OnPath(candidate);
            if (path is not null && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
