using Microsoft.Extensions.Configuration.Memory;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// The log levels a host starts with when its operator chose none: SessionGrid's own lines at Information, and Orleans',
/// ASP.NET Core's and the generic host's at Warning, so the first screen shows what SessionGrid says (where it listens,
/// its API key, where its data is: <see cref="StartupReport"/>) rather than the runtime's start-up. The defaults sit
/// under every other configuration source, so a <c>Logging:LogLevel:&lt;category&gt;</c> setting (for example
/// <c>Logging:LogLevel:Orleans=Information</c>) wins over them; setting <c>Logging:LogLevel:Default</c> chooses the
/// level of every category, and then none of these defaults applies.
/// </summary>
public static class LoggingDefaults
{
    public const string DefaultLevel = "Logging:LogLevel:Default";

    /// <summary>
    /// The categories that log at Warning unless configured: Orleans' runtime (and Polly, whose pipelines Orleans runs),
    /// ASP.NET Core, and the generic host's lifetime lines.
    /// </summary>
    public static readonly IReadOnlyList<string> QuietCategories = ["Orleans", "Microsoft.Orleans", "Polly", "Microsoft.AspNetCore", "Microsoft.Hosting.Lifetime"];

    public static void Apply(ConfigurationManager configuration)
    {
        if (!string.IsNullOrEmpty(configuration[DefaultLevel]))
        {
            return;
        }

        ((IConfigurationBuilder)configuration).Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = QuietCategories.Select(c => new KeyValuePair<string, string?>($"Logging:LogLevel:{c}", "Warning")),
        });
    }
}
