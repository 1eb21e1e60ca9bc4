namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// A TLS client certificate a session's browser offers to the origins it is for (<see cref="Origins"/>,
/// <c>https://host[:port]</c>): a PKCS#12 file, or a PEM certificate (chain) and its private key, with the password that
/// opens it. The whole of it is a secret: <see cref="ToString"/> shows only the origins, and a session that has one is
/// never written anywhere.
/// </summary>
[GenerateSerializer, Alias("sg.SessionCertificate")]
public sealed record SessionCertificate(
    [property: Id(0)] IReadOnlyList<string> Origins,
    [property: Id(1)] byte[]? Pkcs12,
    [property: Id(2)] string? CertificatePem,
    [property: Id(3)] string? KeyPem,
    [property: Id(4)] string? Password)
{
    public override string ToString() => $"SessionCertificate {{ Origins = {string.Join(", ", Origins)}, Certificate = (hidden) }}";
}
