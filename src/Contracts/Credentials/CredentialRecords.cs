namespace SessionGrid.Contracts.Credentials;

/// <summary>
/// A credential as a client sends it, on its way to be sealed: the one record that holds plaintext across a grain
/// call (from the API to the credential grain, once). Its <see cref="ToString"/> shows no secret.
/// </summary>
[GenerateSerializer, Alias("sg.NewCredential")]
public sealed record NewCredential(
    [property: Id(0)] string? Name,
    [property: Id(1)] IReadOnlyList<string> Domains,
    [property: Id(2)] string Username,
    [property: Id(3)] string Password,
    [property: Id(4)] string? TotpSecret)
{
    public override string ToString() => $"NewCredential {{ Name = {Name}, Domains = [{string.Join(", ", Domains)}], secrets redacted }}";
}

/// <summary>What a credential is, without any secret (the username is treated as one too).</summary>
[GenerateSerializer, Alias("sg.CredentialInfo")]
public sealed record CredentialInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] IReadOnlyList<string> Domains,
    [property: Id(3)] long CreatedAt,
    [property: Id(4)] bool HasTotp);

/// <summary>
/// A credential as stored: its description in clear, its secrets as AES-GCM ciphertext with the tag appended,
/// sealed under <see cref="Nonce"/> with the tenant, id and domains as associated data (so a record moved to
/// another tenant or id, or given other domains, does not open).
/// </summary>
[GenerateSerializer, Alias("sg.SealedCredential")]
public sealed record SealedCredential(
    [property: Id(0)] CredentialInfo Info,
    [property: Id(1)] string KeyId,
    [property: Id(2)] byte[] Nonce,
    [property: Id(3)] byte[] Ciphertext)
{
    public override string ToString() => $"SealedCredential {{ Id = {Info.Id}, KeyId = {KeyId}, {Ciphertext.Length} bytes sealed }}";
}

/// <summary>The answer to a create: the stored credential, or why it was not stored.</summary>
[GenerateSerializer, Alias("sg.CredentialReply")]
public sealed record CredentialReply(
    [property: Id(0)] CredentialInfo? Credential,
    [property: Id(1)] CredentialRefusal Refusal,
    [property: Id(2)] string? Reason)
{
    public static CredentialReply Stored(CredentialInfo credential) => new(credential, CredentialRefusal.None, null);

    public static CredentialReply Refused(CredentialRefusal refusal, string reason) => new(null, refusal, reason);
}

[GenerateSerializer, Alias("sg.CredentialRefusal")]
public enum CredentialRefusal
{
    None = 0,
    /// <summary>The request is not a usable credential (a bad domain, a missing password…).</summary>
    Invalid = 1,
    /// <summary>The tenant holds as many credentials as it may.</summary>
    LimitReached = 2,
}
