using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SessionGrid.Grains.Recording;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Grains.Artifacts;

/// <summary>How a link's token fared: it opens its artifact, or why not.</summary>
public enum LinkCheck
{
    Opens,
    /// <summary>Not a token of this form, or not signed for this session and kind (forged, tampered with, another session's).</summary>
    Forged,
    /// <summary>Signed for this session and kind, but past its expiry.</summary>
    Expired,
}

/// <summary>
/// The signed, expiring tokens in the links to a session's recording and downloads, which open them without an API key
/// (a browser's <c>&lt;video&gt;</c>, a pasted link): <c>{expiry, Unix seconds}.{HMAC-SHA256 of kind, session and
/// expiry, base64url}</c>. The signing key is derived from the vault key, which every silo of a cluster shares, so any
/// silo checks what another signed; a new vault key voids the links handed out before it.
/// </summary>
public sealed class ArtifactLinks
{
    private readonly byte[] _key;
    private readonly TimeProvider _clock;
    private readonly RecordingOptions _options;

    public ArtifactLinks(VaultKey vaultKey, TimeProvider clock, IOptions<RecordingOptions> options)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, vaultKey.Bytes.ToArray(), 32, info: "sessiongrid-artifact-links"u8.ToArray());
        _clock = clock;
        _options = options.Value;
    }

    /// <summary>A token for <paramref name="sessionId"/>'s <paramref name="kind"/> that opens it for the configured link lifetime.</summary>
    public string Token(string sessionId, string kind) =>
        Token(sessionId, kind, _clock.GetUtcNow().Add(_options.LinkTtl).ToUnixTimeSeconds());

    /// <summary>A token for <paramref name="sessionId"/>'s <paramref name="kind"/> that opens it until <paramref name="expiresAt"/> (Unix seconds).</summary>
    public string Token(string sessionId, string kind, long expiresAt)
    {
        var expiry = expiresAt.ToString(CultureInfo.InvariantCulture);
        return expiry + "." + Base64Url(Sign(sessionId, kind, expiry));
    }

    public LinkCheck Check(string sessionId, string kind, string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || token.Length > 128
            || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || !TryFromBase64Url(token[(dot + 1)..], out var signature)
            || !CryptographicOperations.FixedTimeEquals(signature, Sign(sessionId, kind, token[..dot])))
        {
            return LinkCheck.Forged;
        }

        return expiresAt > _clock.GetUtcNow().ToUnixTimeSeconds() ? LinkCheck.Opens : LinkCheck.Expired;
    }

    private byte[] Sign(string sessionId, string kind, string expiry) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{kind}\n{sessionId}\n{expiry}"));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length != 43 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        bytes = Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + "=");
        // Only the one spelling of the signature: a last character that differs in the bits base64 leaves unused is refused too.
        return Base64Url(bytes) == text;
    }
}
