using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// A TLS server on 127.0.0.1, written for the tests, that requires a client certificate issued by its own test CA: a
/// connection without one, or with one of another issuer, fails its handshake; a request that passes is answered with a
/// page naming the certificate's subject, and recorded. The CA, the server's certificate and client certificates are
/// made here with <see cref="CertificateRequest"/>.
/// </summary>
public sealed class ClientCertificateServer : LoopbackServer
{
    private readonly X509Certificate2 _serverCertificate;
    private readonly ConcurrentQueue<string> _answered = new();

    public ClientCertificateServer()
    {
        using var caKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=SessionGrid test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var issued = Issue(Authority, "127.0.0.1", server: true);
        _serverCertificate = X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pfx), null);
        Start();
    }

    /// <summary>The test CA: it issued the server's certificate, and the client certificates the server accepts.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary><c>https://127.0.0.1:port</c>: the server's origin.</summary>
    public string Origin => $"https://127.0.0.1:{Port}";

    /// <summary>The subjects of the client certificates of the requests that were answered.</summary>
    public IReadOnlyList<string> Answered => [.. _answered];

    /// <summary>A client certificate (with its key) for <paramref name="subject"/>, issued by <paramref name="issuer"/> (the test CA by default).</summary>
    public X509Certificate2 ClientCertificate(string subject, X509Certificate2? issuer = null) => Issue(issuer ?? Authority, subject, server: false);

    /// <summary>Another CA, whose certificates the server refuses.</summary>
    public static X509Certificate2 OtherAuthority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Another CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _serverCertificate.Dispose();
        Authority.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, bool server)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        return certificate.CopyWithPrivateKey(key);
    }

    protected override async Task ServeAsync(TcpClient client)
    {
        try
        {
            await using var tls = new SslStream(client.GetStream(), false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _serverCertificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && IssuedByAuthority(certificate),
            });
            var head = new byte[8192];
            if (await tls.ReadAsync(head) == 0)
            {
                return;
            }

            var subject = tls.RemoteCertificate!.Subject;
            _answered.Enqueue(subject);
            var body = $"<!doctype html><title>client certificate</title><p id='subject'>{WebUtility.HtmlEncode(subject)}</p>";
            await tls.WriteAsync(Encoding.UTF8.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}"));
        }
        catch (Exception ex) when (ex is IOException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // A handshake without an acceptable client certificate, or a side that went away.
        }
    }

    private bool IssuedByAuthority(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }
}
