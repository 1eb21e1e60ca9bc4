using System.Security.Cryptography;
using System.Text;

namespace SessionGrid.Grains.Sessions;

/// <summary>A session's secrets (its live-view and CDP tokens): 32 random bytes in lower-case hex, compared in constant time.</summary>
internal static class SessionTokens
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="given"/> is <paramref name="own"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string given, string? own) =>
        own is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(own));
}
