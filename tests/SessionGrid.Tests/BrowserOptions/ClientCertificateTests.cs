using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// A host (logging everything) and a TLS server that requires a client certificate of its test CA. The CA is added to
/// the Playwright driver's trust store (<c>NODE_EXTRA_CA_CERTS</c>, read when this host's driver starts), as an operator
/// adds a private CA: the driver checks the server certificate of the origins it offers a client certificate to.
/// </summary>
public sealed class CertificateHost : IAsyncLifetime
{
    private string _caFile = "";
    private string? _previousExtraCerts;

    public ClientCertificateServer Server { get; } = new();

    public SessionGridHost Host { get; private set; } = null!;

    public LogCapture Log { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _caFile = Path.Combine(Directory.CreateTempSubdirectory("sessiongrid-ca-").FullName, "ca.pem");
        File.WriteAllText(_caFile, Server.Authority.ExportCertificatePem());
        _previousExtraCerts = Environment.GetEnvironmentVariable("NODE_EXTRA_CA_CERTS");
        Environment.SetEnvironmentVariable("NODE_EXTRA_CA_CERTS", _caFile);
        Host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Trace" }, console: Log);
    }

    public async ValueTask DisposeAsync()
    {
        // Later hosts' drivers must not be pointed at a file that is about to go.
        Environment.SetEnvironmentVariable("NODE_EXTRA_CA_CERTS", _previousExtraCerts);
        await Host.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(Host.DataDir, recursive: true);
        Directory.Delete(Path.GetDirectoryName(_caFile)!, recursive: true);
    }
}

/// <summary>
/// TLS client certificates (<c>certificates: [{file, password, filters}]</c>, as the SDKs send them): the server answers
/// only the session given the certificate, for the origin it names, as a PKCS#12 file or as PEM; what cannot be used is
/// a 400 that repeats neither the file nor the password, and nothing is created.
/// </summary>
public sealed class ClientCertificateTests(CertificateHost fixture) : IClassFixture<CertificateHost>
{
    private const string Password = "cert-Pa55-word";
    private readonly TaskApiClient _tasks = fixture.Host.Client();

    private ClientCertificateServer Server => fixture.Server;

    [Fact]
    public async Task The_server_answers_only_the_session_given_the_certificate_for_its_origin()
    {
        using var aliceCertificate = Server.ClientCertificate("alice");
        var alice = Pkcs12(aliceCertificate);
        var withCertificate = await _tasks.OpenWithAsync(new JsonObject { ["certificates"] = Certificates(alice, Password, Server.Origin) });
        Assert.Equal(200, (await _tasks.ActAsync(withCertificate, "goto", new JsonObject { ["url"] = Server.Origin + "/" }))["code"]!.GetValue<int>());
        Assert.Equal("CN=alice", (await _tasks.EvaluateAsync(withCertificate, "document.getElementById('subject').textContent"))!.GetValue<string>());
        Assert.Contains("CN=alice", Server.Answered);

        var answered = Server.Answered.Count;
        var without = await _tasks.OpenWithAsync(new JsonObject());
        Assert.Equal(400, (await _tasks.ActAsync(without, "goto", new JsonObject { ["url"] = Server.Origin + "/" }))["code"]!.GetValue<int>());

        var otherOrigin = await _tasks.OpenWithAsync(new JsonObject { ["certificates"] = Certificates(alice, Password, "https://127.0.0.1:1") });
        await _tasks.ActAsync(otherOrigin, "goto", new JsonObject { ["url"] = Server.Origin + "/" });

        using var otherAuthority = ClientCertificateServer.OtherAuthority();
        using var malloryCertificate = Server.ClientCertificate("mallory", otherAuthority);
        var mallory = Pkcs12(malloryCertificate);
        var otherIssuer = await _tasks.OpenWithAsync(new JsonObject { ["certificates"] = Certificates(mallory, Password, Server.Origin) });
        await _tasks.ActAsync(otherIssuer, "goto", new JsonObject { ["url"] = Server.Origin + "/" });

        Assert.Equal(answered, Server.Answered.Count);
        Assert.DoesNotContain("CN=mallory", Server.Answered);
        foreach (var session in new[] { withCertificate, without, otherOrigin, otherIssuer })
        {
            await _tasks.CancelAsync(session);
        }
    }

    [Fact]
    public async Task A_PEM_certificate_and_key_work_as_text_and_in_base64_with_an_encrypted_key_and_in_a_dedicated_browser()
    {
        using var bob = Server.ClientCertificate("bob");
        var pem = bob.ExportCertificatePem() + "\n" + bob.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var plain = await _tasks.OpenWithAsync(new JsonObject { ["certificates"] = Certificates(pem, null, Server.Origin) });
        await _tasks.ActAsync(plain, "goto", new JsonObject { ["url"] = Server.Origin + "/" });
        Assert.Equal("CN=bob", (await _tasks.EvaluateAsync(plain, "document.getElementById('subject').textContent"))!.GetValue<string>());

        using var carol = Server.ClientCertificate("carol");
        var encrypted = carol.ExportCertificatePem() + "\n" + carol.GetRSAPrivateKey()!.ExportEncryptedPkcs8PrivateKeyPem(Password,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        var dedicated = await _tasks.OpenWithAsync(new JsonObject
        {
            ["certificates"] = Certificates(Convert.ToBase64String(Encoding.UTF8.GetBytes(encrypted)), Password, Server.Origin + "/any/path"),
            ["isolation"] = "dedicated",
        });
        await _tasks.ActAsync(dedicated, "goto", new JsonObject { ["url"] = Server.Origin + "/" });
        Assert.Equal("CN=carol", (await _tasks.EvaluateAsync(dedicated, "document.getElementById('subject').textContent"))!.GetValue<string>());
        await _tasks.CancelAsync(plain);
        await _tasks.CancelAsync(dedicated);
    }

    public static TheoryData<string, string, string> BadCertificates => new()
    {
        { "not base64", """[{"file": "%%% not base64 %%%", "password": "PASSWORD", "filters": [["ORIGIN"]]}]""", "is neither base64" },
        { "the wrong password", """[{"file": "PFX", "password": "wrong-PASSWORD", "filters": [["ORIGIN"]]}]""", "could not be opened as a PKCS#12 file with the given password" },
        { "not a PKCS#12 file", """[{"file": "aGVsbG8gd29ybGQ=", "password": "PASSWORD", "filters": [["ORIGIN"]]}]""", "could not be opened as a PKCS#12 file" },
        { "PEM without a key", """[{"file": "CERTPEM", "filters": [["ORIGIN"]]}]""", "exactly one private key" },
        { "no filters", """[{"file": "PFX", "password": "PASSWORD", "filters": null}]""", "filters must name the https:// origins" },
        { "empty filters", """[{"file": "PFX", "password": "PASSWORD", "filters": [[]]}]""", "filters must name the https:// origins" },
        { "an http origin", """[{"file": "PFX", "password": "PASSWORD", "filters": [["http://127.0.0.1:8080"]]}]""", "is not an https:// origin" },
        { "not a list", """{"file": "PFX", "password": "PASSWORD"}""", "certificates must be a list" },
        { "an item that is not an object", """["PFX"]""", "certificates[0] must be an object" },
        { "a password that is not a string", """[{"file": "PFX", "password": 12345, "filters": [["ORIGIN"]]}]""", "password must be a string or null" },
        { "no file", """[{"password": "PASSWORD", "filters": [["ORIGIN"]]}]""", "file must be a PKCS#12 file in base64" },
    };

    [Theory]
    [MemberData(nameof(BadCertificates))]
    public async Task A_certificate_that_cannot_be_used_is_a_400_that_repeats_neither_file_nor_password_and_creates_nothing(string why, string certificates, string expected)
    {
        using var certificate = Server.ClientCertificate("dave");
        var pfx = Pkcs12(certificate);
        var json = certificates.Replace("PFX", pfx, StringComparison.Ordinal).Replace("PASSWORD", Password, StringComparison.Ordinal)
            .Replace("ORIGIN", Server.Origin, StringComparison.Ordinal)
            .Replace("CERTPEM", certificate.ExportCertificatePem().Replace("\n", "\\n", StringComparison.Ordinal), StringComparison.Ordinal);
        var before = (await _tasks.ListAsync("?l=128")).R.AsArray().Count;
        var response = await _tasks.SubmitAsync($$"""{"task": null, "certificates": {{json}}}""");
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{why}: {response.Status} {response.Body?.ToJsonString()}");
        Assert.Contains(expected, response.Detail);
        Assert.DoesNotContain(Password, response.Detail);
        Assert.DoesNotContain(pfx[..40], response.Detail);
        Assert.Equal(before, (await _tasks.ListAsync("?l=128")).R.AsArray().Count);
    }

    [Fact]
    public async Task Neither_the_certificate_nor_its_password_reaches_the_log_the_task_record_or_the_store()
    {
        using var erin = Server.ClientCertificate("erin");
        var pfx = Pkcs12(erin);
        // A profile-backed session is restorable, so its spec would be written to the store: not with a certificate in it.
        Assert.Equal(HttpStatusCode.OK, (await _tasks.SendAsync(HttpMethod.Post, "/api/v1/profile", new JsonObject { ["id"] = "certificate-profile" }.ToJsonString())).Status);
        var session = await _tasks.OpenWithAsync(new JsonObject { ["certificates"] = Certificates(pfx, Password, Server.Origin), ["profile_id"] = "certificate-profile" });
        await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = Server.Origin + "/" });
        var store = string.Concat(Directory.EnumerateFiles(fixture.Host.DataDir, "*", SearchOption.AllDirectories)
            .Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        var refused = await _tasks.SubmitAsync(new JsonObject { ["task"] = null, ["certificates"] = Certificates(pfx, Password + "-wrong", Server.Origin) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var record = (await _tasks.GetAsync(session, 0)).Body!.ToJsonString();
        await _tasks.CancelAsync(session);

        var log = fixture.Log.Text;
        Assert.Contains("Trace", log);
        foreach (var (place, text) in new[] { ("the log", log), ("the task", record), ("the refusal", refused.Body!.ToJsonString()), ("the store", store) })
        {
            Assert.False(text.Contains(Password, StringComparison.Ordinal), $"{place} holds the certificate's password");
            Assert.False(text.Contains(pfx[..64], StringComparison.Ordinal), $"{place} holds the certificate");
        }
    }

    /// <summary>The request's <c>certificates</c>, as the SDKs send one.</summary>
    private static JsonArray Certificates(string file, string? password, string origin) =>
        new(new JsonObject { ["file"] = file, ["password"] = password, ["filters"] = new JsonArray(new JsonArray(origin)) });

    /// <summary>A certificate and its key as a PKCS#12 file, in base64 (as the SDKs encode a file object).</summary>
    private static string Pkcs12(X509Certificate2 certificate) => Convert.ToBase64String(certificate.Export(X509ContentType.Pfx, Password));
}
