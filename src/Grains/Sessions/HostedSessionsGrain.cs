using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Hosting;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The sessions one node (silo) hosts now (key: the silo address), kept so that when the cluster declares the node
/// dead, the survivors can end or set aside every task it ran at once instead of on their next read.
/// </summary>
[Alias("sg.IHostedSessionsGrain")]
public interface IHostedSessionsGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(string sessionId);

    [Alias("Remove")]
    Task RemoveAsync(string sessionId);

    /// <summary>Tells every session's task record its node is lost, then forgets the node. Safe to call more than once.</summary>
    [Alias("NodeLost")]
    Task NodeLostAsync();
}

/// <summary>The persisted session ids of a node.</summary>
[GenerateSerializer, Alias("sg.HostedSessionsState")]
public sealed class HostedSessionsState
{
    [Id(0)] public HashSet<string> Sessions { get; set; } = [];
}

public sealed class HostedSessionsGrain(
    [PersistentState("hosted", StorageNames.Default)] IPersistentState<HostedSessionsState> state) : Grain, IHostedSessionsGrain
{
    public static string KeyOf(SiloAddress silo) => silo.ToParsableString();

    public async Task AddAsync(string sessionId)
    {
        if (state.State.Sessions.Add(sessionId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string sessionId)
    {
        if (state.State.Sessions.Remove(sessionId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task NodeLostAsync()
    {
        var host = SiloAddress.FromParsableString(this.GetPrimaryKeyString());
        await Task.WhenAll(state.State.Sessions.Select(id => GrainFactory.GetGrain<ITaskGrain>(id).HostLostAsync(host)));
        await state.ClearStateAsync();
        state.State = new HostedSessionsState();
        DeactivateOnIdle();
    }
}
