using System.Diagnostics;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>The SessionGrid executable run as its own OS process, configured through the environment.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private SiloProcess(Process process, string baseUrl, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        BaseUrl = baseUrl;
        _output = output;
    }

    public string BaseUrl { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <param name="settings">More settings (over the test defaults), set in the environment.</param>
    /// <param name="args">More command-line arguments (such as <c>--role api</c>).</param>
    public static async Task<SiloProcess> StartAsync(string dataDir, IReadOnlyDictionary<string, string>? settings = null, params string[] args)
    {
        var baseUrl = $"http://127.0.0.1:{Ports.Free()}";
        var start = new ProcessStartInfo("dotnet", [SiloDll(), "--urls", baseUrl, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in TestHostSettings.For(dataDir).Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, baseUrl, output);
        var client = silo.Client();
        await Eventually.Until(async () =>
        {
            Assert.False(process.HasExited, "the SessionGrid process exited during start-up:\n" + string.Join("\n", output));
            try
            {
                return (await client.ListAsync()).Status == System.Net.HttpStatusCode.OK ? "up" : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60), "the SessionGrid process to answer");
        return silo;
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > 200 && lines.TryDequeue(out _))
        {
        }
    }

    public TaskApiClient Client() => new(new HttpClient { BaseAddress = new Uri(BaseUrl) }, TestKeys.A);

    /// <summary>Sends SIGTERM (graceful) or SIGKILL and waits for the process to exit.</summary>
    public async Task StopAsync(bool kill)
    {
        if (kill)
        {
            _process.Kill();
        }
        else
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Sends SIGTERM and returns at once (the process drains, then exits).</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit by itself; answers when it did (UTC) and its exit code.</summary>
    public async Task<(DateTime ExitedAt, int ExitCode)> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return (_process.ExitTime.ToUniversalTime(), _process.ExitCode);
    }

    /// <summary>The last lines the process wrote (its log), for a failure's message.</summary>
    public string Output => string.Join("\n", _output);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(kill: true);
        }

        _process.Dispose();
    }

    /// <summary>Runs the executable once with <paramref name="args"/> (a subcommand) and answers its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [SiloDll(), .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>The executable's build output next to this test assembly's (same configuration).</summary>
    public static string SiloDll()
    {
        var testDir = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(testDir).Parent!.Name;
        var root = new DirectoryInfo(testDir);
        while (!File.Exists(Path.Combine(root.FullName, "SessionGrid.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("SessionGrid.sln not found above " + testDir);
        }

        return Path.Combine(root.FullName, "src", "Silo", "bin", configuration, "net10.0", "SessionGrid.Silo.dll");
    }
}
