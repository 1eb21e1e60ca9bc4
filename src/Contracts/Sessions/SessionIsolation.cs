namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// Where a session's browser context lives (DESIGN §6): in one of its silo's shared Chromium processes (cheap and
/// dense, the default), or in a Chromium process of its own, which also gives the session a CDP endpoint.
/// </summary>
[GenerateSerializer, Alias("sg.SessionIsolation")]
public enum SessionIsolation
{
    Shared = 0,
    Dedicated = 1,
}
