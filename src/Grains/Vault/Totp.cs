using System.Buffers.Binary;
using System.Security.Cryptography;
using SessionGrid.Contracts.Credentials;

namespace SessionGrid.Grains.Vault;

/// <summary>RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA-1, 30-second steps, 6 digits.</summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>The code of a base32 secret at <paramref name="at"/>.</summary>
    public static string Code(string base32Secret, DateTimeOffset at)
    {
        var secret = Base32.Decode(base32Secret) ?? throw new ArgumentException("the TOTP secret is not base32", nameof(base32Secret));
        try
        {
            return Code(secret, at.ToUnixTimeSeconds());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The code of <paramref name="secret"/> at Unix time <paramref name="unixSeconds"/> (RFC 6238 §4, RFC 4226 §5.3).</summary>
    public static string Code(ReadOnlySpan<byte> secret, long unixSeconds, int digits = Digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, unixSeconds / StepSeconds);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff;
        var modulus = (int)Math.Pow(10, digits);
        return (binary % modulus).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>How long the code of <paramref name="at"/> stays valid.</summary>
    public static TimeSpan RemainingInStep(DateTimeOffset at) =>
        TimeSpan.FromMilliseconds(StepSeconds * 1000 - at.ToUnixTimeMilliseconds() % (StepSeconds * 1000));
}
