using System.Security.Cryptography;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// SessionGrid processes of one cluster on a PostgreSQL database (already migrated): silos and API processes with the
/// settings they share, each in a data folder of its own; disposing kills what still runs and deletes the folders.
/// </summary>
public sealed class ProcessCluster(string database, IReadOnlyDictionary<string, string>? settings = null) : IAsyncDisposable
{
    private readonly List<string> _folders = [];
    private readonly List<SiloProcess> _processes = [];

    /// <summary>What every process of the cluster is configured with: storage, database, a vault key, then <c>settings</c>.</summary>
    public Dictionary<string, string> Shared { get; } = new Dictionary<string, string>
    {
        ["SessionGrid:Storage"] = "postgres",
        ["SessionGrid:ConnectionString"] = database,
        ["SessionGrid:Vault:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }.Concat(settings ?? new Dictionary<string, string>()).ToDictionary();

    /// <summary>When set, each process's last output lines go here as the cluster is disposed (a failure's context).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Starts a silo named <paramref name="node"/> (or, with <c>--role api</c> in <paramref name="args"/>, an API process).</summary>
    public async Task<SiloProcess> StartAsync(string? node, params string[] args)
    {
        var folder = Directory.CreateTempSubdirectory("sessiongrid-node-").FullName;
        lock (_folders)
        {
            _folders.Add(folder);
        }

        var all = new Dictionary<string, string>(Shared);
        if (node is not null)
        {
            all["SessionGrid:Node:Name"] = node;
        }

        var process = await SiloProcess.StartAsync(folder, all, args);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            Log?.Invoke($"--- process {process.Pid} ---\n{process.Output}");
            await process.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
