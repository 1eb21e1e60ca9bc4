using Microsoft.Extensions.Logging;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The profile folder of a dedicated Chromium process (<c>{temp}/sessiongrid-dedicated-{owner pid}-{random}</c>): made
/// before the launch, read for the DevTools endpoint Chromium writes into it (<c>DevToolsActivePort</c>), deleted when
/// the process is gone. Folders of hosts that died without deleting theirs are deleted at the next start.
/// </summary>
internal static class DedicatedProfile
{
    private const string Prefix = "sessiongrid-dedicated-";
    private const string PortFile = "DevToolsActivePort";

    /// <summary>A new, empty profile folder owned by this process.</summary>
    public static string Create() => Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;

    /// <summary>
    /// The browser-level DevTools WebSocket of the Chromium using <paramref name="folder"/>, once it wrote its port
    /// (it listens on 127.0.0.1 only). Throws <see cref="BrowserUnavailableException"/> when it did not within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<Uri> DevToolsAsync(string folder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, PortFile);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // Line 1: the port; line 2: the browser target's path. Written once, perhaps not yet whole.
                var lines = await File.ReadAllLinesAsync(file, cancellationToken);
                if (lines.Length >= 2 && int.TryParse(lines[0], out var port) && port is > 0 and < 65536
                    && lines[1].StartsWith("/devtools/browser/", StringComparison.Ordinal))
                {
                    return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
                }
            }
            catch (IOException)
            {
                // Not written yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BrowserUnavailableException($"Chromium did not open its DevTools port within {timeout.TotalSeconds:0} seconds.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Deletes a profile folder whose browser is gone; a failure is logged, not thrown.</summary>
    public static void Delete(string folder, ILogger log)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted already (the host stopped while the session ended).
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Could not delete the dedicated browser profile {Folder}: {Reason}", folder, ex.Message);
        }
    }

    /// <summary>Deletes the profile folders of SessionGrid processes that are no longer alive.</summary>
    public static void ReapOrphans(ILogger log)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var owner = Path.GetFileName(folder)[Prefix.Length..].Split('-', 2)[0];
            if (int.TryParse(owner, out var pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                Delete(folder, log);
            }
        }
    }
}
