using System.Security.Cryptography;

namespace SessionGrid.Contracts.Common;

/// <summary>
/// Every id SessionGrid makes up: a prefix that says what it names and random bytes in lower-case hex
/// (<c>task_…</c>, <c>evt_…</c>, <c>tc_…</c>), or a UUID where a dialect's wire wants one.
/// </summary>
public static class Ids
{
    /// <summary><paramref name="prefix"/> followed by <paramref name="bytes"/> random bytes in lower-case hex.</summary>
    public static string New(string prefix, int bytes = 12) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>A random UUID in its 36-character form (<c>xxxxxxxx-xxxx-…</c>).</summary>
    public static string Uuid() => Guid.NewGuid().ToString("D");
}
