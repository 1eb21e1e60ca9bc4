namespace SessionGrid.Tests.Infrastructure;

/// <summary>The settings that make a test host independent of every other: its own data folder, keys and free Orleans ports.</summary>
public static class TestHostSettings
{
    public static Dictionary<string, string> For(string dataDir) => new()
    {
        ["SessionGrid:DataDir"] = dataDir,
        ["SessionGrid:ApiKeys:0"] = TestKeys.A,
        ["SessionGrid:ApiKeys:1"] = TestKeys.B,
        ["SessionGrid:Orleans:SiloPort"] = Ports.Free().ToString(),
        ["SessionGrid:Orleans:GatewayPort"] = Ports.Free().ToString(),
        ["Logging:LogLevel:Default"] = "Warning",
        // Tests leave sessions to their idle timeout: the per-key session limit would refuse a shared host's later tests.
        ["SessionGrid:Limits:MaxConcurrentSessions"] = "0",
        // A host on PostgreSQL drains as it stops: a session a test left open must not hold its dispose for the default 120 s.
        ["SessionGrid:Node:DrainSeconds"] = "5",
    };
}
