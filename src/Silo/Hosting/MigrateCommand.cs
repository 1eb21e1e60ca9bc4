using Microsoft.Extensions.Configuration;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// <c>SessionGrid.Silo migrate [--SessionGrid:Storage=postgres --SessionGrid:ConnectionString=…]</c>: applies the
/// project's scripts the configured database lacks and exits (what the Kubernetes migrate Job runs). Safe to run
/// again and beside another run: each script is applied once, under a lock.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(args)
                .Build();
            var settings = HostSettings.From(configuration);
            IReadOnlyList<string> applied;
            if (settings.Storage == StorageKind.Postgres)
            {
                applied = await PostgresStore.MigrateAsync(settings.ConnectionString!, CancellationToken.None);
            }
            else
            {
                Directory.CreateDirectory(settings.DataDir);
                applied = SqliteStore.Migrate(SqliteStore.ConnectionString(settings.DataDir));
            }

            output.WriteLine(applied.Count == 0
                ? $"The {settings.Storage} database is up to date."
                : $"Applied to the {settings.Storage} database: {string.Join(", ", applied)}");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or IOException)
        {
            errors.WriteLine($"migrate failed: {ex.Message}");
            return 1;
        }
    }
}
