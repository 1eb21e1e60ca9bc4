using System.Diagnostics;

namespace SessionGrid.Grains.Recording;

/// <summary>The ffmpeg a node encodes with: found once (a configured path, else <c>ffmpeg</c> on the PATH), run as a child process below normal priority.</summary>
public sealed class Ffmpeg(string path)
{
    public string Path => path;

    /// <summary>The ffmpeg at <paramref name="configured"/> when that is an executable file, else the first <c>ffmpeg</c> on the PATH; null when there is none.</summary>
    public static Ffmpeg? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return IsExecutable(configured) ? new Ffmpeg(configured) : null;
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(folder, "ffmpeg");
            if (IsExecutable(candidate))
            {
                return new Ffmpeg(candidate);
            }
        }

        return null;
    }

    /// <summary>Runs ffmpeg with <paramref name="arguments"/> (quiet, no input from stdin); its standard error when it fails, null when it succeeds.</summary>
    public async Task<string?> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        try
        {
            // Encoding yields to the sessions' own work, their browsers and the API (nice 10: at the lowest priority, nice 19,
            // a busy node would starve it until recordings never finish).
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It ended already, or the priority cannot be changed here: it runs at normal priority.
        }

        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var error = await errors;
        return process.ExitCode == 0 ? null : $"ffmpeg exited with {process.ExitCode}: {error.Trim().Split('\n').LastOrDefault()}";
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
