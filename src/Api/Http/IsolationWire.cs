using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Http;

/// <summary>The <c>isolation</c> of a session open, as the Task API and the Browser Session API both take it.</summary>
public static class IsolationWire
{
    public const string Invalid = "isolation must be shared or dedicated";

    /// <summary><c>shared</c> (the default) or <c>dedicated</c>; null for anything else.</summary>
    public static SessionIsolation? Parse(string? isolation) => isolation switch
    {
        null or "shared" => SessionIsolation.Shared,
        "dedicated" => SessionIsolation.Dedicated,
        _ => null,
    };
}
