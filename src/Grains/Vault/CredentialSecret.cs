namespace SessionGrid.Grains.Vault;

/// <summary>
/// An opened credential: plaintext, held only by the action that types it, in the silo that runs that action. It is
/// not serializable (it never crosses a grain call) and its <see cref="ToString"/> shows nothing secret.
/// </summary>
public sealed class CredentialSecret(string username, string password, string? totpSecret)
{
    public string Username { get; } = username;
    public string Password { get; } = password;
    public string? TotpSecret { get; } = totpSecret;

    /// <summary>Every secret value, for scrubbing text that must not carry one.</summary>
    public IEnumerable<string> Values => new[] { Username, Password, TotpSecret }.Where(v => !string.IsNullOrEmpty(v))!;

    public override string ToString() => "CredentialSecret { redacted }";
}
