using System.Text;
using SessionGrid.Contracts.Credentials;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Tests.Vault;

/// <summary>The TOTP codes the vault types: RFC 6238's own test vectors, and the base32 secrets authenticator apps show.</summary>
public sealed class TotpTests
{
    /// <summary>RFC 6238 Appendix B, SHA-1: the seed "12345678901234567890", 8 digits.</summary>
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Rfc_6238_test_vectors(long unixSeconds, string expected)
    {
        var seed = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal(expected, Totp.Code(seed, unixSeconds, digits: 8));
        Assert.Equal(expected[^6..], Totp.Code(seed, unixSeconds));
    }

    [Fact]
    public void A_base32_secret_gives_the_same_codes_in_any_case_and_spacing()
    {
        var secret = Base32.Encode(Encoding.ASCII.GetBytes("12345678901234567890"));
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", secret);
        var at = DateTimeOffset.FromUnixTimeSeconds(1111111109);
        Assert.Equal("081804", Totp.Code(secret, at));
        Assert.Equal("081804", Totp.Code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", at));
        Assert.Equal("081804", Totp.Code(secret + "====", at));
    }

    [Fact]
    public void Codes_change_every_30_seconds()
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal(Totp.Code(secret, 30), Totp.Code(secret, 59));
        Assert.NotEqual(Totp.Code(secret, 59), Totp.Code(secret, 60));
        Assert.Equal(TimeSpan.FromSeconds(1), Totp.RemainingInStep(DateTimeOffset.FromUnixTimeSeconds(59)));
        Assert.Equal(TimeSpan.FromSeconds(30), Totp.RemainingInStep(DateTimeOffset.FromUnixTimeSeconds(60)));
    }

    [Theory]
    [InlineData("not base32!")]
    [InlineData("ABC1")]
    [InlineData("")]
    [InlineData("====")]
    public void What_is_not_base32_does_not_decode(string text) => Assert.Null(Base32.Decode(text));
}
