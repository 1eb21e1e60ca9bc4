namespace SessionGrid.Contracts.Tenants;

/// <summary>
/// A tenant's sessions as the API opened them (key: tenant), for the limit on concurrent sessions. It keeps claims,
/// not a counter: when a new claim would pass the limit it asks each claim's record whether it still waits or runs and
/// drops those that ended (closed, idle timeout, crash, lost host), so no ending is ever missed.
/// </summary>
[Alias("sg.IOpenSessionsGrain")]
public interface IOpenSessionsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records <paramref name="claim"/> if the tenant's open sessions plus its weight stay within
    /// <paramref name="limit"/>; false (nothing recorded) when they would not. Claiming an id again is accepted.
    /// </summary>
    [Alias("TryClaim")]
    Task<bool> TryClaimAsync(SessionClaim claim, int limit);

    /// <summary>Drops a claim whose session was never opened (the open was refused).</summary>
    [Alias("Release")]
    Task ReleaseAsync(string id);
}

/// <summary>What a claim's id names: a session's task record (<c>ITaskGrain</c>), or a browsing task (<c>IBrowsingTaskGrain</c>).</summary>
[GenerateSerializer, Alias("sg.SessionClaimKind")]
public enum SessionClaimKind
{
    Session = 0,
    BrowsingTask = 1,
}

/// <summary>One claim on a tenant's concurrent sessions: <paramref name="Weight"/> sessions while the record named by <paramref name="Id"/> is unfinished.</summary>
[GenerateSerializer, Alias("sg.SessionClaim")]
public sealed record SessionClaim([property: Id(0)] string Id, [property: Id(1)] SessionClaimKind Kind, [property: Id(2)] int Weight = 1);
