using System.Security.Cryptography;
using SessionGrid.Contracts.Credentials;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Tests.Vault;

/// <summary>How credentials are sealed: AES-GCM with a fresh nonce each time, bound to their tenant, id and domains; and where the key comes from.</summary>
public sealed class VaultCipherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sessiongrid-vault-").FullName;
    private readonly NewCredential _credential = new("Example", ["example.com"], "ada@example.com", "correct horse battery staple", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    private readonly CredentialInfo _info = new("2b0c4e3e-0c55-4d6b-9a43-3f8a2f1c7d10", "Example", ["example.com"], 1, HasTotp: true);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_sealed_credential_opens_only_for_its_own_tenant_id_and_domains()
    {
        var cipher = new VaultCipher(VaultKey.Resolve(null, Path.Combine(_dir, VaultKey.FileName)));
        var sealedOnce = cipher.Seal("k_tenant", _info, _credential);
        var sealedTwice = cipher.Seal("k_tenant", _info, _credential);
        Assert.Equal(VaultCipher.NonceSize, sealedOnce.Nonce.Length);
        Assert.NotEqual(sealedOnce.Nonce, sealedTwice.Nonce);
        Assert.NotEqual(sealedOnce.Ciphertext, sealedTwice.Ciphertext);

        var opened = cipher.Open("k_tenant", sealedOnce);
        Assert.Equal((_credential.Username, _credential.Password, _credential.TotpSecret), (opened.Username, opened.Password, opened.TotpSecret));

        Assert.Throws<VaultKeyException>(() => cipher.Open("k_other", sealedOnce));
        Assert.Throws<VaultKeyException>(() => cipher.Open("k_tenant", sealedOnce with { Info = _info with { Id = Guid.NewGuid().ToString() } }));
        Assert.Throws<VaultKeyException>(() => cipher.Open("k_tenant", sealedOnce with { Info = _info with { Domains = ["evil.example"] } }));
        var flipped = sealedOnce.Ciphertext.ToArray();
        flipped[0] ^= 1;
        Assert.Throws<VaultKeyException>(() => cipher.Open("k_tenant", sealedOnce with { Ciphertext = flipped }));

        var otherKey = new VaultCipher(VaultKey.Resolve(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), null));
        Assert.Contains("another vault key", Assert.Throws<VaultKeyException>(() => otherKey.Open("k_tenant", sealedOnce)).Message);
    }

    [Fact]
    public void No_record_shows_a_secret_when_printed()
    {
        var cipher = new VaultCipher(VaultKey.Resolve(null, Path.Combine(_dir, VaultKey.FileName)));
        var sealedCredential = cipher.Seal("k_tenant", _info, _credential);
        foreach (var text in new[] { _credential.ToString(), sealedCredential.ToString(), cipher.Open("k_tenant", sealedCredential).ToString() })
        {
            Assert.DoesNotContain(_credential.Username, text);
            Assert.DoesNotContain(_credential.Password, text);
            Assert.DoesNotContain(_credential.TotpSecret!, text);
        }
    }

    [Fact]
    public void The_generated_key_file_is_owner_only_and_reused()
    {
        var path = Path.Combine(_dir, VaultKey.FileName);
        var first = VaultKey.Resolve(null, path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path).Trim()).Length);
        Assert.Equal(first.Id, VaultKey.Resolve(null, path).Id);
        Assert.DoesNotContain(File.ReadAllText(path).Trim(), first.ToString());

        // A configured key wins over the file.
        var configured = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Assert.NotEqual(first.Id, VaultKey.Resolve(configured, path).Id);
    }

    [Fact]
    public void A_bad_or_missing_key_fails_with_what_to_set_and_without_the_value()
    {
        var bad = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var wrongSize = Assert.Throws<VaultKeyException>(() => VaultKey.Resolve(bad, null));
        Assert.Contains("SessionGrid:Vault:Key must be the base64 of 32 bytes", wrongSize.Message);
        Assert.DoesNotContain(bad, wrongSize.Message);

        var cluster = Assert.Throws<VaultKeyException>(() => VaultKey.Resolve(null, null));
        Assert.Contains("SessionGrid:Vault:Key is not set", cluster.Message);
        Assert.Contains("SessionGrid__Vault__Key", cluster.Message);

        var path = Path.Combine(_dir, VaultKey.FileName);
        File.WriteAllText(path, "garbage");
        Assert.Contains("does not hold the base64 of 32 bytes", Assert.Throws<VaultKeyException>(() => VaultKey.Resolve(null, path)).Message);
    }
}
