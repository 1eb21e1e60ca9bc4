namespace SessionGrid.Api.Limits;

/// <summary>
/// The limits that hold for one request's key. Requests are counted per tenant and <paramref name="Subject"/> (the
/// override that applies, empty for the defaults); sessions per tenant.
/// </summary>
public sealed record KeyLimits(string Tenant, string Subject, double RequestsPerSecond, int Burst, int MaxConcurrentSessions);
