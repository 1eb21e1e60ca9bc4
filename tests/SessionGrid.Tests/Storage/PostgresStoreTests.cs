using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;
using SessionGrid.Tests.Profiles;

namespace SessionGrid.Tests.Storage;

/// <summary>
/// The project's PostgreSQL scripts against a real server: the migrate command, and a host whose Orleans
/// membership, grain state, reminders and artifacts all live in PostgreSQL.
/// </summary>
public sealed class PostgresStoreTests(PostgresServer server, TestPages pages) : IClassFixture<PostgresServer>
{
    /// <summary>Every statement key Orleans' ADO.NET clustering, persistence and reminder providers read.</summary>
    private static readonly string[] QueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey",
        "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Migrate_applies_every_script_once_on_an_empty_database_and_nothing_on_a_migrated_one()
    {
        var database = await server.CreateDatabaseAsync();
        var args = new[] { "--SessionGrid:Storage=postgres", $"--SessionGrid:ConnectionString={database}" };

        var first = new StringWriter();
        Assert.Equal(0, await MigrateCommand.RunAsync(args, first, first));
        Assert.Contains("0001-orleans-clustering.sql, 0002-orleans-persistence.sql, 0003-orleans-reminders.sql, 0004-artifacts.sql, 0005-artifact-descriptions.sql", first.ToString());
        var again = new StringWriter();
        Assert.Equal(0, await MigrateCommand.RunAsync(args, again, again));
        Assert.Contains("up to date", again.ToString());

        // Two runs at once on another empty database: each script is applied once.
        var other = await server.CreateDatabaseAsync();
        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PostgresStore.MigrateAsync(other, CancellationToken.None)));
        Assert.Equal(5, racing.Sum(applied => applied.Count));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery", connection);
        var stored = new List<string>();
        await using (var reader = await keys.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal(QueryKeys.Order(), stored.Order());
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM SessionGridMigrations", connection);
        Assert.Equal(5L, await count.ExecuteScalarAsync());

        var broken = new StringWriter();
        Assert.Equal(1, await MigrateCommand.RunAsync(["--SessionGrid:Storage=postgres"], broken, broken));
        Assert.Contains("SessionGrid:ConnectionString", broken.ToString());
    }

    [Fact]
    public async Task A_host_refuses_a_database_that_was_not_migrated()
    {
        var database = await server.CreateDatabaseAsync();
        var unmigrated = await Assert.ThrowsAsync<InvalidOperationException>(() => SessionGridHost.StartAsync(settings: Settings(database)));
        Assert.Contains("lacks SessionGrid's scripts 0001-orleans-clustering.sql", unmigrated.Message);
        Assert.Contains("run `SessionGrid.Silo migrate`", unmigrated.Message);
    }

    [Fact]
    public async Task A_host_on_postgres_keeps_its_silo_tasks_profiles_and_files_in_the_database_across_a_restart()
    {
        var database = await server.CreateDatabaseAsync();
        await PostgresStore.MigrateAsync(database, CancellationToken.None);
        var settings = Settings(database);
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-pg-host-").FullName;
        try
        {
            string task, profile, fileId;
            await using (var first = await SessionGridHost.StartAsync(dataDir, settings))
            {
                Assert.Equal(("Active", first.NodeName), await MembershipAsync(database));
                var client = first.Client();
                profile = await ProfileSteps.CreateAsync(client);
                task = await ProfileSteps.OpenAsync(client, profile);
                await ProfileSteps.LogInAsync(client, task, pages, "frank", "in postgres");
                await ProfileSteps.CloseAsync(client, task);
                fileId = await client.UploadedFileAsync("notes.txt", "kept in PostgreSQL"u8.ToArray());
            }

            Assert.Equal(("Dead", settings["SessionGrid:Node:Name"]), await MembershipAsync(database));
            await using var second = await SessionGridHost.StartAsync(dataDir, settings);
            var again = second.Client();
            var finished = await again.GetAsync(task);
            Assert.Equal(HttpStatusCode.OK, finished.Status);
            Assert.Equal("done", finished.R["status"]!.GetValue<string>());
            var b = await again.SubmitAsync(new JsonObject { ["task"] = null, ["profile_id"] = profile, ["files"] = new JsonArray(fileId) }.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, b.Status);
            var session = b.R["id"]!.GetValue<string>();
            Assert.Equal(("signed in as frank", "in postgres"), await ProfileSteps.WhoAsync(again, session, pages));
            await ProfileSteps.CloseAsync(again, session);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Reminders_and_an_api_only_process_work_through_the_projects_own_statements()
    {
        var database = await server.CreateDatabaseAsync();
        await PostgresStore.MigrateAsync(database, CancellationToken.None);
        var settings = Settings(database);
        await using var host = await SessionGridHost.StartAsync(settings: settings);
        try
        {
            var reminders = host.Services.GetRequiredService<IReminderTable>();
            var grain = GrainId.Create("test", "reminder-" + Guid.NewGuid().ToString("N"));
            var start = DateTime.UtcNow;
            var etag = await reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r1", StartAt = start, Period = TimeSpan.FromDays(40) });
            var read = await reminders.ReadRow(grain, "r1") ?? throw new InvalidOperationException("the reminder was not stored");
            Assert.Equal(etag, read.ETag);
            Assert.Equal(TimeSpan.FromDays(40), read.Period);
            Assert.InRange((read.StartAt - start).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            var newer = await reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r1", StartAt = start, Period = TimeSpan.FromMinutes(2) });
            Assert.NotEqual(etag, newer);
            await reminders.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r2", StartAt = start, Period = TimeSpan.FromMinutes(3) });
            Assert.Equal(["r1", "r2"], (await reminders.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order());

            // Ranges are (begin, end] over the uniform hash; one that wraps around reads both ends.
            var hash = grain.GetUniformHashCode();
            Assert.Equal(2, (await reminders.ReadRows(hash - 1, hash)).Reminders.Count(r => r.GrainId == grain));
            Assert.DoesNotContain((await reminders.ReadRows(hash, hash + 1)).Reminders, r => r.GrainId == grain);
            Assert.Equal(2, (await reminders.ReadRows(hash + 1, hash)).Reminders.Count(r => r.GrainId == grain));

            Assert.False(await reminders.RemoveRow(grain, "r1", etag!));
            Assert.True(await reminders.RemoveRow(grain, "r1", newer!));
            Assert.Null(await reminders.ReadRow(grain, "r1"));

            // An API-only process finds the silo through the gateway list in PostgreSQL and drives its browsers.
            await using var api = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>(settings) { ["role"] = "api" });
            var client = api.Client();
            var taskId = await client.OpenSessionAsync(pages.Url("/second"));
            Assert.Contains(taskId, host.Browsers.HostedSessions);
            var title = await ProfileSteps.RunAsync(client, taskId, "evaluate_js", new JsonObject { ["js"] = "document.title" });
            Assert.Equal("Second page", title.GetValue<string>());
            await ProfileSteps.CloseAsync(client, taskId);
            Directory.Delete(api.DataDir, recursive: true);
        }
        finally
        {
            Directory.Delete(host.DataDir, recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(string database) => new()
    {
        ["SessionGrid:Storage"] = "postgres",
        ["SessionGrid:ConnectionString"] = database,
        ["SessionGrid:Vault:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["SessionGrid:Node:Name"] = "pg-node-" + Guid.NewGuid().ToString("N")[..6],
    };

    /// <summary>The status and name of the one silo row of the database's cluster.</summary>
    private static async Task<(string Status, string Name)> MembershipAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Status, SiloName FROM OrleansMembershipTable ORDER BY StartTime DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (((SiloStatus)reader.GetInt32(0)).ToString(), reader.GetString(1));
    }
}
