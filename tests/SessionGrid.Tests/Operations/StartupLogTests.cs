using System.Text.RegularExpressions;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// The first screen of a host started with no settings of its own: SessionGrid's own lines say where it listens, that
/// it generated an API key (printed once, never logged) and where its data is, while Orleans and ASP.NET Core log at
/// Warning; a Logging:LogLevel setting for their categories brings their lines back.
/// </summary>
public sealed partial class StartupLogTests
{
    [Fact]
    public async Task A_first_start_says_where_it_listens_its_generated_key_and_where_its_data_is_and_little_else()
    {
        await using var host = new BuiltHost(new Dictionary<string, string>());
        await host.App.StartAsync();
        var output = host.Output.Text;
        var report = $"Information {typeof(StartupReport).FullName}";

        Assert.Contains($"{report}[", output);
        Assert.Matches($"{Regex.Escape(report)}\\[-?\\d+\\]: SessionGrid is listening on {Regex.Escape(host.BaseUrl)} ", output);
        var hashFile = Path.Combine(host.DataDir, ApiKeySetup.HashFileName);
        Assert.Contains($"SessionGrid generated an API key on this first start and printed it above, only this once; its hash is kept in {hashFile}", output);
        Assert.Contains($"SessionGrid keeps its data in {host.DataDir} (the SQLite database {Path.Combine(host.DataDir, SqliteStore.FileName)})", output);

        // The key itself is on the console once, in the block that prints it, and in no log entry.
        var key = Assert.Single(GeneratedKey().Matches(output)).Value;
        Assert.Single(output.Split('\n'), line => line.Contains(key, StringComparison.Ordinal));

        var quiet = LoggingDefaults.QuietCategories.Select(c => $"Information {c}.").Concat(LoggingDefaults.QuietCategories.Select(c => $"Information {c}["));
        var noisy = output.Split('\n').Where(line => quiet.Any(q => line.StartsWith(q, StringComparison.Ordinal))).ToList();
        Assert.True(noisy.Count == 0, "Information lines of the runtime on the first screen:\n" + string.Join("\n", noisy.Take(10)));
    }

    [Fact]
    public async Task The_runtime_s_levels_are_settings_like_any_other()
    {
        await using var host = new BuiltHost(new Dictionary<string, string>
        {
            ["Logging:LogLevel:Orleans"] = "Information",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        });
        await host.App.StartAsync();
        var output = host.Output.Text;
        Assert.Contains("Information Orleans.", output);
        Assert.Contains("Information Microsoft.Hosting.Lifetime[", output);
        Assert.DoesNotContain("Information Microsoft.AspNetCore.", output);
        Assert.Contains("SessionGrid is listening on", output);
    }

    [GeneratedRegex(@"sg_[A-Za-z0-9_-]{32}")]
    private static partial Regex GeneratedKey();
}
