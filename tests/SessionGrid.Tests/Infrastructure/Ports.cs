using System.Net;
using System.Net.Sockets;

namespace SessionGrid.Tests.Infrastructure;

public static class Ports
{
    /// <summary>Below Linux's ephemeral range (32768–60999), so an outgoing connection never takes a port handed out here.</summary>
    private const int First = 20_000;
    private const int Last = 32_000;
    private static int _next = First + Environment.ProcessId % 1000 * 10;

    /// <summary>
    /// A TCP port free on loopback now, never handed out twice in this run. Ports from the OS's ephemeral range
    /// (binding port 0) could be reused for a client connection before the host binds them.
    /// </summary>
    public static int Free()
    {
        while (true)
        {
            var port = First + (Interlocked.Increment(ref _next) - First) % (Last - First);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by something else: try the next one.
            }
        }
    }
}
