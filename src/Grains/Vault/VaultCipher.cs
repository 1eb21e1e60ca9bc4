using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionGrid.Contracts.Credentials;

namespace SessionGrid.Grains.Vault;

/// <summary>
/// Seals and opens credentials with AES-256-GCM: a fresh random 12-byte nonce per seal, a 16-byte tag, and as
/// associated data the tenant, the credential id and its domains, so a record copied to another tenant or id, or
/// stored with other domains, fails to open instead of typing its password somewhere else.
/// </summary>
public sealed class VaultCipher(VaultKey key)
{
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public string KeyId => key.Id;

    /// <summary>Seals <paramref name="credential"/>'s secrets for <paramref name="tenant"/> under the description <paramref name="info"/>.</summary>
    public SealedCredential Seal(string tenant, CredentialInfo info, NewCredential credential)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(new Secrets(credential.Username, credential.Password, credential.TotpSecret));
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(NonceSize);
            var sealedBytes = new byte[plaintext.Length + TagSize];
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), AssociatedData(tenant, info));
            return new SealedCredential(info, key.Id, nonce, sealedBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Opens a sealed credential of <paramref name="tenant"/>; a <see cref="VaultKeyException"/> when it does not open.</summary>
    public CredentialSecret Open(string tenant, SealedCredential credential)
    {
        if (credential.KeyId != key.Id)
        {
            throw new VaultKeyException($"credential {credential.Info.Id} was sealed with another vault key ({credential.KeyId}; this server's is {key.Id})");
        }

        var length = credential.Ciphertext.Length - TagSize;
        if (credential.Nonce.Length != NonceSize || length < 0)
        {
            throw new VaultKeyException($"credential {credential.Info.Id} is not a sealed record");
        }

        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Decrypt(credential.Nonce, credential.Ciphertext.AsSpan(0, length), credential.Ciphertext.AsSpan(length), plaintext, AssociatedData(tenant, credential.Info));
            var secrets = JsonSerializer.Deserialize<Secrets>(plaintext) ?? throw new VaultKeyException($"credential {credential.Info.Id} is empty");
            return new CredentialSecret(secrets.U, secrets.P, secrets.T);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new VaultKeyException($"credential {credential.Info.Id} does not open: it was altered, or moved from another tenant or id");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] AssociatedData(string tenant, CredentialInfo info) =>
        Encoding.UTF8.GetBytes($"sessiongrid/credential/v1\n{tenant}\n{info.Id}\n{string.Join(',', info.Domains)}\n{info.HasTotp}");

    /// <summary>The sealed plaintext: short names, so the record stays small.</summary>
    private sealed record Secrets(string U, string P, string? T)
    {
        public override string ToString() => "Secrets { redacted }";
    }
}
