using Microsoft.Extensions.Configuration;
using SessionGrid.Api.Auth;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// The API keys a host accepts: <c>SessionGrid:ApiKeys</c> (a list, or one comma-separated value). With none
/// configured, the embedded start generates one, keeps only its hash in the data folder and prints the key once.
/// </summary>
public static class ApiKeySetup
{
    public const string HashFileName = "api-key.sha256";

    /// <summary>The hashes of the keys the host accepts (generating one, as <see cref="Resolve"/> does).</summary>
    public static IReadOnlyList<string> KeyHashes(IConfiguration configuration, string dataDir, TextWriter console) =>
        Resolve(configuration, dataDir, console).Hashes;

    /// <summary>
    /// The keys the host accepts and where they come from; a key generated now is printed to <paramref name="console"/>
    /// (never logged: logs are exported, and the key is shown only this once).
    /// </summary>
    public static ApiKeys Resolve(IConfiguration configuration, string dataDir, TextWriter console)
    {
        var keys = ConfiguredKeys.Read(configuration, HostSettings.Keys.ApiKeys);
        if (keys.Count > 0)
        {
            return new ApiKeys([.. keys.Select(ApiKeyHash.Of)], ApiKeySource.Configured, null);
        }

        var hashFile = Path.Combine(dataDir, HashFileName);
        if (File.Exists(hashFile))
        {
            return new ApiKeys([File.ReadAllText(hashFile).Trim()], ApiKeySource.GeneratedBefore, hashFile);
        }

        var key = ApiKeyHash.NewKey();
        File.WriteAllText(hashFile, ApiKeyHash.Of(key) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hashFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        console.WriteLine();
        console.WriteLine("  SessionGrid generated an API key. It is shown only this once; only its hash is stored:");
        console.WriteLine();
        console.WriteLine($"      {key}");
        console.WriteLine();
        console.WriteLine($"  Send it as the 'apikey' header (or Authorization: Bearer). To get a new one, delete {hashFile}.");
        console.WriteLine();
        return new ApiKeys([ApiKeyHash.Of(key)], ApiKeySource.GeneratedNow, hashFile);
    }
}
