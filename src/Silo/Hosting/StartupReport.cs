using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// What a host says, at Information under its own category, once it has started: where it listens, which API keys it
/// accepts, and where its data is. With <see cref="LoggingDefaults"/> these are the lines a newcomer reads first. A
/// generated key itself is not among them: it is printed to the console once (<see cref="ApiKeySetup"/>), never logged,
/// because logs are kept and exported.
/// </summary>
public static partial class StartupReport
{
    /// <summary>Reports when <paramref name="app"/> has started (its server listens).</summary>
    public static WebApplication ReportWhenStarted(this WebApplication app, HostSettings settings, ApiKeys keys)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupReport).FullName!);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogListening(log, string.Join(", ", addresses), settings.NodeName, settings.Role.ToString().ToLowerInvariant());
            switch (keys.Source)
            {
                case ApiKeySource.GeneratedNow:
                    LogKeyGenerated(log, keys.HashFile!);
                    break;
                case ApiKeySource.GeneratedBefore:
                    LogKeyKept(log, keys.HashFile!);
                    break;
                case ApiKeySource.Configured:
                    LogKeysConfigured(log, keys.Hashes.Count, HostSettings.Keys.ApiKeys);
                    break;
                default:
                    LogKeysIssued(log, HostSettings.Keys.ApiKeys, Api.Auth.AdminKeyRegistry.Setting);
                    break;
            }

            if (settings.Storage == StorageKind.Postgres)
            {
                var database = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
                LogDataInPostgres(log, database.Database ?? "(default)", database.Host ?? "(default)");
            }
            else
            {
                LogDataInFolder(log, settings.DataDir, Path.Combine(settings.DataDir, SqliteStore.FileName));
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SessionGrid is listening on {Urls} (node {Node}, role {Role})")]
    private static partial void LogListening(ILogger log, string urls, string node, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "SessionGrid generated an API key on this first start and printed it above, only this once; its hash is kept in {HashFile} (delete the file for a new key)")]
    private static partial void LogKeyGenerated(ILogger log, string hashFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "SessionGrid accepts the API key it generated on its first start; its hash is in {HashFile} (delete the file for a new key)")]
    private static partial void LogKeyKept(ILogger log, string hashFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "SessionGrid accepts the {Count} API keys configured in {Setting}")]
    private static partial void LogKeysConfigured(ILogger log, int count, string setting);

    [LoggerMessage(Level = LogLevel.Information, Message = "SessionGrid has no API keys in {Setting}: it accepts the tenant keys that the admin keys of {AdminSetting} issue")]
    private static partial void LogKeysIssued(ILogger log, string setting, string adminSetting);

    [LoggerMessage(Level = LogLevel.Information, Message = "SessionGrid keeps its data in {DataDir} (the SQLite database {Database}); back the folder up to keep it")]
    private static partial void LogDataInFolder(ILogger log, string dataDir, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "SessionGrid keeps its data in the PostgreSQL database {Database} on {Host}")]
    private static partial void LogDataInPostgres(ILogger log, string database, string host);
}
