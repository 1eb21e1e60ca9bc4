namespace SessionGrid.Grains.Browser;

/// <summary>
/// Finds the Chromium executable: the configured path, else the OS package's usual names; and Chromium's headless
/// shell (Debian's <c>chromium-headless-shell</c>), which dedicated browsers run when it is installed.
/// </summary>
public static class ChromiumLocator
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"];

    private static readonly string[] ShellCandidates = ["/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell"];

    public static string? Find(string? configured) => Find(configured, Candidates);

    /// <summary>The headless shell: the configured path, else the OS package's (<c>chromium-headless-shell</c>); null when none is installed.</summary>
    public static string? FindHeadlessShell(string? configured) => Find(configured, ShellCandidates);

    private static string? Find(string? configured, string[] candidates)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var candidate in candidates)
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
