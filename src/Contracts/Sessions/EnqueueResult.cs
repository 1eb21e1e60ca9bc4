namespace SessionGrid.Contracts.Sessions;

/// <summary>Whether a session took a command into its mailbox, and why not.</summary>
[GenerateSerializer, Alias("sg.EnqueueResult")]
public sealed record EnqueueResult([property: Id(0)] bool Accepted, [property: Id(1)] string? Reason)
{
    public static readonly EnqueueResult Ok = new(true, null);

    public static EnqueueResult Rejected(string reason) => new(false, reason);
}
