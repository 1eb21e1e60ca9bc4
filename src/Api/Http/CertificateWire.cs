using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Http;

/// <summary>
/// TLS client certificates as the Smooth SDKs send them: <c>certificates: [{file, password, filters}]</c>, where
/// <c>file</c> is a PKCS#12 file in base64 (the SDKs encode a file object themselves) or a PEM certificate with its
/// private key (as text or in base64), <c>password</c> opens it, and <c>filters</c> names the <c>https://</c> origins it is
/// offered to (<c>[["https://intranet.example.com"]]</c>: the SDKs type it a list of lists; each string is an origin).
/// Each is opened here with its password, so a wrong one is a 400 before anything starts. No message repeats a file or a
/// password.
/// </summary>
public static partial class CertificateWire
{
    public const int MaxCertificates = 10;
    public const int MaxOrigins = 20;
    public const int MaxFileChars = 1 << 20;

    /// <summary>The certificates of a request, or why they are wrong (null and absent are none).</summary>
    public static (IReadOnlyList<SessionCertificate> Certificates, string? Error) Parse(JsonElement? certificates, string field = "certificates")
    {
        if (certificates is not { } list || list.ValueKind == JsonValueKind.Null)
        {
            return ([], null);
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxCertificates)
        {
            return ([], $"{field} must be a list of at most {MaxCertificates} certificates, each {{file, password, filters}}");
        }

        var parsed = new List<SessionCertificate>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var (certificate, error) = One(item, $"{field}[{index++}]");
            if (error is not null)
            {
                return ([], error);
            }

            parsed.Add(certificate!);
        }

        return (parsed, null);
    }

    private static (SessionCertificate? Certificate, string? Error) One(JsonElement item, string name)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{name} must be an object {{file, password, filters}}");
        }

        if (!item.TryGetProperty("file", out var file) || file.ValueKind != JsonValueKind.String || file.GetString() is not { Length: > 0 and <= MaxFileChars } text)
        {
            return (null, $"{name}.file must be a PKCS#12 file in base64, or a PEM certificate with its private key, of at most {MaxFileChars} characters");
        }

        string? password = null;
        if (item.TryGetProperty("password", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.String)
            {
                return (null, $"{name}.password must be a string or null");
            }

            password = given.GetString();
        }

        var (origins, badOrigins) = Origins(item, name);
        if (badOrigins is not null)
        {
            return (null, badOrigins);
        }

        var pem = text.Contains("-----BEGIN", StringComparison.Ordinal) ? text : null;
        byte[]? bytes = null;
        if (pem is null)
        {
            bytes = new byte[text.Length];
            if (!Convert.TryFromBase64String(text.Trim(), bytes, out var length))
            {
                return (null, $"{name}.file is neither base64 (of a PKCS#12 or PEM file) nor PEM text");
            }

            bytes = bytes[..length];
            var decoded = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
            if (decoded.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                pem = Encoding.UTF8.GetString(bytes);
            }
        }

        return pem is not null ? FromPem(pem, password, origins, name) : FromPkcs12(bytes!, password, origins, name);
    }

    /// <summary>The origins <c>filters</c> names: <c>https://host[:port]</c> each (a URL is reduced to its origin).</summary>
    private static (IReadOnlyList<string> Origins, string? Error) Origins(JsonElement item, string name)
    {
        const string Example = "[[\"https://intranet.example.com\"]]";
        var missing = $"{name}.filters must name the https:// origins the certificate is offered to, e.g. {Example}: SessionGrid offers a certificate only to the origins it is given";
        if (!item.TryGetProperty("filters", out var filters) || filters.ValueKind != JsonValueKind.Array)
        {
            return ([], missing);
        }

        var strings = new List<JsonElement>();
        foreach (var entry in filters.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Array)
            {
                strings.AddRange(entry.EnumerateArray());
            }
            else
            {
                strings.Add(entry);
            }
        }

        var origins = new List<string>();
        foreach (var entry in strings)
        {
            if (entry.ValueKind != JsonValueKind.String || !Uri.TryCreate(entry.GetString(), UriKind.Absolute, out var uri) || uri.Scheme != "https"
                || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
            {
                return ([], $"{name}.filters: '{Text.Shorten(entry.ToString())}' is not an https:// origin (client certificates are offered over TLS only), e.g. {Example}");
            }

            origins.Add(uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant());
        }

        origins = [.. origins.Distinct(StringComparer.Ordinal)];
        return origins.Count switch
        {
            0 => ([], missing),
            > MaxOrigins => ([], $"{name}.filters may name at most {MaxOrigins} origins"),
            _ => (origins, null),
        };
    }

    private static (SessionCertificate? Certificate, string? Error) FromPkcs12(byte[] bytes, string? password, IReadOnlyList<string> origins, string name)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey
                ? (new SessionCertificate(origins, bytes, null, null, password), null)
                : (null, $"{name}.file holds no private key: a client certificate needs one");
        }
        catch (CryptographicException)
        {
            return (null, $"{name}.file could not be opened as a PKCS#12 file with the given password: the password is wrong, or it is not a PKCS#12 (or PEM) file");
        }
    }

    private static (SessionCertificate? Certificate, string? Error) FromPem(string pem, string? password, IReadOnlyList<string> origins, string name)
    {
        var blocks = PemBlock().Matches(pem).Select(m => (Label: m.Groups["label"].Value, Text: m.Value)).ToList();
        var certificates = blocks.Where(b => b.Label == "CERTIFICATE").Select(b => b.Text).ToList();
        var keys = blocks.Where(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)).Select(b => b.Text).ToList();
        if (certificates.Count == 0 || keys.Count != 1)
        {
            return (null, $"{name}.file is PEM, and must hold the certificate (and its chain) and exactly one private key");
        }

        var certificatePem = string.Join('\n', certificates);
        try
        {
            using var checkedCertificate = keys[0].Contains("ENCRYPTED", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromEncryptedPem(certificatePem, keys[0], password ?? "")
                : X509Certificate2.CreateFromPem(certificatePem, keys[0]);
            return (new SessionCertificate(origins, null, certificatePem, keys[0], password), null);
        }
        catch (CryptographicException)
        {
            return (null, $"{name}.file could not be read: the key's password is wrong, or the key does not belong to the certificate");
        }
        catch (ArgumentException)
        {
            return (null, $"{name}.file could not be read as a PEM certificate and private key");
        }
    }

    [GeneratedRegex(@"-----BEGIN (?<label>[A-Z0-9 ]+)-----[\s\S]+?-----END \k<label>-----")]
    private static partial Regex PemBlock();
}
