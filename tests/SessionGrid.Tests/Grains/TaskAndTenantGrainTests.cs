using Orleans.Runtime;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Tests.Grains;

public sealed class TaskAndTenantGrainTests(SqliteCluster fixture) : IClassFixture<SqliteCluster>
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    private SiloAddress Silo => fixture.Cluster.Silos[0].SiloAddress;

    [Fact]
    public async Task Events_get_strictly_increasing_timestamps_and_reads_return_only_newer_ones_in_order()
    {
        var task = Grains.GetGrain<ITaskGrain>("task_" + Guid.NewGuid().ToString("N"));
        await task.CreateAsync(new TaskSpec("tenant-events", TaskKind.Session, DeviceKind.Desktop, null, Silo));
        await task.MarkRunningAsync();
        for (var i = 0; i < 50; i++)
        {
            await task.AppendAsync(TaskEvent.ForResult($"e{i}", "browser_action", ActionOutcome.Success("evaluate", i.ToString(), 1)));
        }

        var all = (await task.GetAsync(0, includeEvents: true))!.Events;
        Assert.Equal(50, all.Count);
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(all[i].Timestamp > all[i - 1].Timestamp, "timestamps must be strictly increasing");
        }

        var cursor = all[29].Timestamp;
        var newer = (await task.GetAsync(cursor, includeEvents: true))!.Events;
        Assert.Equal(Enumerable.Range(30, 20).Select(i => $"e{i}"), newer.Select(e => e.Id));
        Assert.Empty((await task.GetAsync(all[^1].Timestamp, includeEvents: true))!.Events);
        Assert.Empty((await task.GetAsync(0, includeEvents: false))!.Events);
    }

    [Fact]
    public async Task A_task_record_survives_deactivation_through_the_SQLite_store()
    {
        var id = "task_" + Guid.NewGuid().ToString("N");
        var task = Grains.GetGrain<ITaskGrain>(id);
        var createdAt = await task.CreateAsync(new TaskSpec("tenant-persist", TaskKind.Session, DeviceKind.Mobile, "https://example.com/", Silo));
        await task.AppendAsync(TaskEvent.ForResult("a", "browser_action", ActionOutcome.Success("navigate", "{\"url\":\"https://example.com/\"}", 12)));
        await task.FinishAsync(TaskPhase.Done, null, null, [TaskEvent.Notice("session_closed", "{\"reason\":\"closed\"}")]);

        await fixture.Cluster.DeactivateAsync(task);
        var read = await Grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: true);

        Assert.NotNull(read);
        Assert.Equal(TaskPhase.Done, read.Phase);
        Assert.Equal(DeviceKind.Mobile, read.Device);
        Assert.Equal("tenant-persist", read.Owner);
        Assert.Equal(createdAt, read.CreatedAt);
        Assert.Equal(["a", null], read.Events.Select(e => e.Id));
        Assert.Equal(12, read.Events[0].Result!.DurationMs);
    }

    [Fact]
    public async Task A_finished_task_ignores_later_events_and_a_second_finish()
    {
        var task = Grains.GetGrain<ITaskGrain>("task_" + Guid.NewGuid().ToString("N"));
        await task.CreateAsync(new TaskSpec("tenant-finish", TaskKind.Session, DeviceKind.Desktop, null, Silo));
        await task.FinishAsync(TaskPhase.Cancelled, null, "cancelled by the client", []);
        await task.AppendAsync(TaskEvent.Notice("late", "{}"));
        await task.FinishAsync(TaskPhase.Done, null, null, []);

        var read = (await task.GetAsync(0, includeEvents: true))!;
        Assert.Equal(TaskPhase.Cancelled, read.Phase);
        Assert.Empty(read.Events);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => task.FinishAsync(TaskPhase.Running, null, null, []));
    }

    [Fact]
    public async Task A_task_whose_host_silo_is_gone_reads_as_failed_session_lost()
    {
        var task = Grains.GetGrain<ITaskGrain>("task_" + Guid.NewGuid().ToString("N"));
        var deadSilo = SiloAddress.New(System.Net.IPAddress.Loopback, 1, 1);
        await task.CreateAsync(new TaskSpec("tenant-lost", TaskKind.Session, DeviceKind.Desktop, null, deadSilo));
        await task.MarkRunningAsync();

        var read = (await task.GetAsync(0, includeEvents: true))!;
        Assert.Equal(TaskPhase.Failed, read.Phase);
        Assert.StartsWith("session_lost", read.Error);
        Assert.Equal("session_closed", read.Events.Single().Name);
    }

    [Fact]
    public async Task An_unknown_task_reads_as_null()
    {
        Assert.Null(await Grains.GetGrain<ITaskGrain>("task_never_created").GetAsync(0, includeEvents: true));
    }

    [Fact]
    public async Task A_tenant_index_gives_unique_increasing_times_and_pages_newest_first_before_a_cursor()
    {
        var tenant = Grains.GetGrain<ITenantGrain>("tenant-" + Guid.NewGuid().ToString("N"));
        var times = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            times.Add(await tenant.AddTaskAsync($"t{i}", Dialects.TaskApi));
        }

        Assert.Equal(times.Order(), times);
        Assert.Equal(times.Count, times.Distinct().Count());
        Assert.Equal(["t9", "t8", "t7"], await tenant.ListTasksAsync(Dialects.TaskApi, null, 3));
        Assert.Equal(["t6", "t5"], await tenant.ListTasksAsync(Dialects.TaskApi, times[7], 2));
        Assert.Equal(["t0"], await tenant.ListTasksAsync(Dialects.TaskApi, times[1], 32));
        Assert.Empty(await tenant.ListTasksAsync(Dialects.TaskApi, times[0], 32));
        Assert.Equal(10, (await tenant.ListTasksAsync(Dialects.TaskApi, null, 128)).Count);
    }

    [Fact]
    public async Task A_tenant_index_lists_each_dialect_only_its_own_tasks()
    {
        var tenant = Grains.GetGrain<ITenantGrain>("tenant-" + Guid.NewGuid().ToString("N"));
        var browserTime = 0L;
        for (var i = 0; i < 6; i++)
        {
            var time = await tenant.AddTaskAsync($"t{i}", i % 2 == 0 ? Dialects.TaskApi : Dialects.BrowserSessionApi);
            browserTime = i == 3 ? time : browserTime;
        }

        Assert.Equal(["t4", "t2", "t0"], await tenant.ListTasksAsync(Dialects.TaskApi, null, 10));
        Assert.Equal(["t5", "t3"], await tenant.ListTasksAsync(Dialects.BrowserSessionApi, null, 2));
        Assert.Equal(["t1"], await tenant.ListTasksAsync(Dialects.BrowserSessionApi, browserTime, 10));
        Assert.Empty(await tenant.ListTasksAsync(Dialects.BrowsingApi, null, 10));
    }

    [Fact]
    public async Task A_tenant_index_lists_every_dialect_at_once_with_each_entrys_dialect_and_time_for_the_console()
    {
        var tenant = Grains.GetGrain<ITenantGrain>("tenant-" + Guid.NewGuid().ToString("N"));
        string[] dialects = [Dialects.TaskApi, Dialects.BrowserSessionApi, Dialects.BrowsingApi, Dialects.TaskApi];
        var times = new List<long>();
        for (var i = 0; i < dialects.Length; i++)
        {
            times.Add(await tenant.AddTaskAsync($"t{i}", dialects[i]));
        }

        Assert.Equal(
            [new IndexedTask("t3", Dialects.TaskApi, times[3]), new IndexedTask("t2", Dialects.BrowsingApi, times[2]), new IndexedTask("t1", Dialects.BrowserSessionApi, times[1])],
            await tenant.ListIndexAsync(null, null, 3));
        Assert.Equal([new IndexedTask("t0", Dialects.TaskApi, times[0])], await tenant.ListIndexAsync(null, times[1], 10));
        Assert.Equal(["t3", "t0"], (await tenant.ListIndexAsync(Dialects.TaskApi, null, 10)).Select(t => t.Id));
        Assert.Empty(await tenant.ListIndexAsync(null, times[0], 10));
    }
}
