using System.Globalization;

namespace SessionGrid.Api.Http;

/// <summary>Times as the wire dialects write them.</summary>
public static class WireTime
{
    /// <summary>A Unix-ms time as ISO 8601 UTC with milliseconds, e.g. <c>2026-11-25T08:02:51.274Z</c>.</summary>
    public static string Iso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
