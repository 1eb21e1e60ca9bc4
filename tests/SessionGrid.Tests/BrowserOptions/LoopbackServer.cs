using System.Net;
using System.Net.Sockets;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>A TCP server of the tests on 127.0.0.1 (a free port): it serves each connection it accepts on its own task until disposed.</summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    protected LoopbackServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public virtual async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts accepting (called by the derived class once it is ready to serve).</summary>
    protected void Start() => _ = AcceptAsync();

    /// <summary>Serves one connection; the client is disposed after.</summary>
    protected abstract Task ServeAsync(TcpClient client);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    await ServeAsync(client);
                }
            });
        }
    }
}
