using System.Security.Cryptography;
using System.Text;

namespace SessionGrid.Grains.Vault;

/// <summary>
/// The 32-byte AES key that seals credentials. It comes from <c>SessionGrid:Vault:Key</c> (base64); an embedded host
/// without one generates it once into <c>vault.key</c> in its data folder (owner-only, 0600) and reuses it. A cluster
/// never generates one: each silo must open what any other sealed. Neither <see cref="ToString"/> nor any message
/// shows key material.
/// </summary>
public sealed class VaultKey
{
    public const string Setting = "SessionGrid:Vault:Key";
    public const string FileName = "vault.key";
    public const int Size = 32;

    private readonly byte[] _key;

    private VaultKey(byte[] key, bool generated = false)
    {
        _key = key;
        Generated = generated;
        Id = Convert.ToHexStringLower(SHA256.HashData([.. "sessiongrid-vault-key-id:"u8, .. key]))[..12];
    }

    /// <summary>A fingerprint of the key (not the key), stored with each sealed credential to name a key mismatch.</summary>
    public string Id { get; }

    /// <summary>Whether this start generated the key (and wrote its file).</summary>
    public bool Generated { get; }

    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>
    /// The configured key; else the embedded host's key file (read, or created when missing); else a
    /// <see cref="VaultKeyException"/> that says what to set. <paramref name="keyFile"/> is null in cluster mode.
    /// </summary>
    public static VaultKey Resolve(string? configuredKey, string? keyFile)
    {
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            return Parse(configuredKey) ?? throw new VaultKeyException(
                $"{Setting} must be the base64 of {Size} bytes (for example the output of `openssl rand -base64 {Size}`).");
        }

        if (keyFile is not null && File.Exists(keyFile))
        {
            return Parse(File.ReadAllText(keyFile)) ?? throw new VaultKeyException(
                $"The vault key file {keyFile} does not hold the base64 of {Size} bytes. Restore it from a backup: credentials sealed with another key cannot be opened.");
        }

        if (keyFile is not null)
        {
            return Generate(keyFile);
        }

        throw new VaultKeyException(
            $"{Setting} is not set. A cluster does not generate a vault key, because every silo must open the credentials any other sealed: " +
            $"set {Setting} (environment: SessionGrid__Vault__Key) to the same base64 of {Size} random bytes on every silo (`openssl rand -base64 {Size}`).");
    }

    public override string ToString() => $"VaultKey {Id}";

    private static VaultKey? Parse(string base64)
    {
        var bytes = new byte[Size + 1];
        return Convert.TryFromBase64String(base64.Trim(), bytes, out var written) && written == Size ? new VaultKey(bytes[..Size]) : null;
    }

    /// <summary>Writes a new random key to <paramref name="path"/>, readable and writable by its owner only.</summary>
    private static VaultKey Generate(string path)
    {
        var key = RandomNumberGenerator.GetBytes(Size);
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.ASCII, file))
        {
            writer.Write(Convert.ToBase64String(key) + "\n");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new VaultKey(key, generated: true);
    }
}

/// <summary>The vault has no usable key; the message says what to configure (and never shows key material).</summary>
public sealed class VaultKeyException(string message) : InvalidOperationException(message);
