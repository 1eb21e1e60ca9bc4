using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// A small HTTP forward proxy on 127.0.0.1, written for the tests: plain HTTP requests in absolute form and CONNECT
/// tunnels, optionally behind basic authentication (a request without the right <c>Proxy-Authorization</c> is answered
/// 407), recording every request it saw. It reaches only loopback: a request for any other host is answered by the
/// proxy itself (200, <c>served by the test proxy</c>), so nothing leaves the machine; a CONNECT to another host is 502.
/// One request per connection (<c>Connection: close</c>).
/// </summary>
public sealed class ForwardProxy : LoopbackServer
{
    private readonly ConcurrentQueue<Passed> _seen = new();
    private readonly string? _expectedAuthorization;

    /// <summary>A request the proxy saw: its method, its target (an absolute URL, or host:port for CONNECT), whether it carried the right credentials.</summary>
    public sealed record Passed(string Method, string Target, bool Authorized);

    public ForwardProxy(string? username = null, string? password = null)
    {
        _expectedAuthorization = username is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        Start();
    }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<Passed> Seen => [.. _seen];

    /// <summary>Whether a request whose target contains <paramref name="marker"/> passed (with the right credentials, when they are required).</summary>
    public bool Passes(string marker) => _seen.Any(p => p.Authorized && p.Target.Contains(marker, StringComparison.Ordinal));

    /// <summary>Whether any request whose target contains <paramref name="marker"/> reached the proxy at all.</summary>
    public bool Reached(string marker) => _seen.Any(p => p.Target.Contains(marker, StringComparison.Ordinal));

    protected override async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var (head, rest) = await ReadHeadAsync(stream);
            if (head is null)
            {
                return;
            }

            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3)
            {
                return;
            }

            var (method, target) = (parts[0], parts[1]);
            var headers = lines.Skip(1).Where(l => l.Contains(':')).Select(l => (Name: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim())).ToList();
            var authorized = _expectedAuthorization is null
                || headers.Any(h => h.Name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase) && h.Value == _expectedAuthorization);
            _seen.Enqueue(new Passed(method, target, authorized));
            if (!authorized)
            {
                await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test proxy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            if (method == "CONNECT")
            {
                await TunnelAsync(stream, target, rest);
                return;
            }

            if (!Uri.TryCreate(target, UriKind.Absolute, out var url))
            {
                await WriteAsync(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            if (!IsLoopback(url.Host))
            {
                const string body = "<!doctype html><title>served by the test proxy</title><p>served by the test proxy</p>";
                await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
                return;
            }

            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, url.Port);
            var forwarded = new StringBuilder($"{method} {url.PathAndQuery} HTTP/1.1\r\n");
            foreach (var (name, value) in headers.Where(h => !h.Name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
            {
                forwarded.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            forwarded.Append("Connection: close\r\n\r\n");
            var server = upstream.GetStream();
            await WriteAsync(server, forwarded.ToString());
            await server.WriteAsync(rest);
            await PipeAsync(stream, server);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // A side went away.
        }
    }

    private static async Task TunnelAsync(NetworkStream client, string target, byte[] rest)
    {
        var colon = target.LastIndexOf(':');
        if (colon < 0 || !IsLoopback(target[..colon].Trim('[', ']')) || !int.TryParse(target[(colon + 1)..], out var port))
        {
            await WriteAsync(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }

        using var upstream = new TcpClient();
        await upstream.ConnectAsync(IPAddress.Loopback, port);
        await WriteAsync(client, "HTTP/1.1 200 Connection Established\r\n\r\n");
        var server = upstream.GetStream();
        await server.WriteAsync(rest);
        await PipeAsync(client, server);
    }

    /// <summary>Copies both ways until either side closes.</summary>
    private static async Task PipeAsync(NetworkStream client, NetworkStream server)
    {
        var up = client.CopyToAsync(server);
        var down = server.CopyToAsync(client);
        await Task.WhenAny(up, down);
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" or "127.0.0.1" or "::1" || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>The request head (up to the blank line) and whatever came after it.</summary>
    private static async Task<(string? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        while (buffer.Count < 64 * 1024)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                return (null, []);
            }

            buffer.AddRange(chunk.AsSpan(0, read));
            var end = IndexOfBlankLine(buffer);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString([.. buffer.Take(end)]), [.. buffer.Skip(end + 4)]);
            }
        }

        return (null, []);
    }

    private static int IndexOfBlankLine(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();
}
