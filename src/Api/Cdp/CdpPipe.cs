using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Cdp;

/// <summary>
/// One CDP connection: a client's WebSocket piped to its upstream, which is the session's browser (its DevTools
/// WebSocket on this node's loopback) or the CDP relay of the node that runs it. Browser to client, every frame passes
/// as it comes; client to browser, whole text messages of at most <see cref="MaxCommandBytes"/>. On the hop that reaches
/// the browser (given the <paramref name="session"/>), every command first passes the <see cref="CdpCommandGuard"/>,
/// and commands count as the session's activity, reported at most every <see cref="ActivityInterval"/>. Either side
/// closing closes the other: the browser's end (the session ended and closed it) closes the client's socket with
/// 1000 "the session ended"; a relay's close is passed on as it came.
/// </summary>
internal sealed class CdpPipe(WebSocket client, WebSocket upstream, ISessionGrain? session, string token)
{
    /// <summary>The largest command a client may send (Chromium itself takes up to 100 MiB).</summary>
    public const int MaxCommandBytes = 64 * 1024 * 1024;

    /// <summary>How often, at most, the session hears that its CDP client is active.</summary>
    public static readonly TimeSpan ActivityInterval = TimeSpan.FromSeconds(3);

    /// <summary>How long closing waits for the other side's part of the close handshake.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    private static readonly Closing SessionEnded = new(WebSocketCloseStatus.NormalClosure, "the session ended");

    private const int FrameBytes = 64 * 1024;

    /// <summary>Sends to the client one message at a time: a browser message's frames, or the guard's answer.</summary>
    private readonly SemaphoreSlim _toClient = new(1, 1);
    private int _commands;

    /// <summary>Pipes until either side closes (or the client's request is aborted), then closes both.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var events = ForwardEventsAsync(stop.Token);
        var commands = ForwardCommandsAsync(stop.Token);
        var activity = session is null ? Task.Delay(Timeout.Infinite, stop.Token) : ReportActivityAsync(session, stop.Token);
        try
        {
            var first = await Task.WhenAny(events, commands, activity);
            if (first == commands && await commands is null)
            {
                // The client closed: the browser's side goes too.
                await CloseAsync(upstream, null, WebSocketCloseStatus.NormalClosure, "the CDP client closed the connection");
                await CloseAsync(client, _toClient, WebSocketCloseStatus.NormalClosure, "bye");
            }
            else
            {
                var closing = first == events ? await events : first == commands ? (await commands)!.Value : SessionEnded;
                await CloseAsync(client, _toClient, closing.Status, closing.Reason);
                await CloseAsync(upstream, null, WebSocketCloseStatus.NormalClosure, "the CDP client's connection ended");

                // Give the client a moment to answer the close.
                if (first != commands)
                {
                    await commands.WaitAsync(CloseWait, aborted);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or TimeoutException)
        {
            // The client went away, or did not answer the close.
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(events, commands, activity).ContinueWith(_ => { }, TaskScheduler.Default);
            _toClient.Dispose();
        }
    }

    /// <summary>Passes the upstream's messages to the client, frame by frame, until the upstream closes or drops.</summary>
    private async Task<Closing> ForwardEventsAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FrameBytes);
        var inMessage = false;
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult received;
                try
                {
                    received = await upstream.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                }
                catch (WebSocketException)
                {
                    // A browser that exits drops its socket without a close.
                    return SessionEnded;
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return upstream.CloseStatus is { } status ? new Closing(status, upstream.CloseStatusDescription ?? "") : SessionEnded;
                }

                if (!inMessage)
                {
                    await _toClient.WaitAsync(cancellationToken);
                    inMessage = true;
                }

                await client.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, cancellationToken);
                if (received.EndOfMessage)
                {
                    inMessage = false;
                    _toClient.Release();
                }
            }
        }
        finally
        {
            if (inMessage)
            {
                _toClient.Release();
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Passes the client's commands to the upstream, each whole, until the client closes (null) or sends what is not a
    /// CDP command (the close to answer it with).
    /// </summary>
    private async Task<Closing?> ForwardCommandsAsync(CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>(FrameBytes);
        while (true)
        {
            if (message.Capacity > 4 * FrameBytes)
            {
                // Do not keep a large command's buffer for the connection's life.
                message = new ArrayBufferWriter<byte>(FrameBytes);
            }

            message.ResetWrittenCount();
            ValueWebSocketReceiveResult received;
            do
            {
                if (message.WrittenCount > MaxCommandBytes)
                {
                    return new Closing(WebSocketCloseStatus.MessageTooBig, $"CDP messages are at most {MaxCommandBytes / 1024 / 1024} MiB");
                }

                received = await client.ReceiveAsync(message.GetMemory(FrameBytes), cancellationToken);
                message.Advance(received.Count);
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (received.MessageType != WebSocketMessageType.Text)
            {
                return new Closing(WebSocketCloseStatus.InvalidMessageType, "CDP messages are JSON text");
            }

            if (session is not null)
            {
                Interlocked.Exchange(ref _commands, 1);
                var verdict = CdpCommandGuard.Check(message.WrittenSpan);
                switch (verdict.Outcome)
                {
                    case CdpCommandGuard.Outcome.Refuse:
                        return new Closing(WebSocketCloseStatus.InvalidPayloadData, verdict.Reason!);
                    case CdpCommandGuard.Outcome.Answer:
                        await AnswerAsync(verdict.Answer!, cancellationToken);
                        continue;
                    case CdpCommandGuard.Outcome.CloseSession:
                        await AnswerAsync(verdict.Answer!, cancellationToken);
                        await session.CloseAsync();
                        continue;
                }
            }

            await upstream.SendAsync(message.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }

    /// <summary>Tells the session, at most every <see cref="ActivityInterval"/>, that its client sent commands; returns once the session refuses (it ended).</summary>
    private async Task ReportActivityAsync(ISessionGrain live, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ActivityInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (Interlocked.Exchange(ref _commands, 0) == 1 && !(await live.CdpActivityAsync(token)).Accepted)
            {
                return;
            }
        }
    }

    private async Task AnswerAsync(string answer, CancellationToken cancellationToken)
    {
        await _toClient.WaitAsync(cancellationToken);
        try
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(answer), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _toClient.Release();
        }
    }

    /// <summary>Sends a socket's close unless it was sent already (under <paramref name="sending"/>, when other sends may run).</summary>
    private static async Task CloseAsync(WebSocket socket, SemaphoreSlim? sending, WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(CloseWait);
        if (sending is not null && !await sending.WaitAsync(CloseWait))
        {
            // A message is still going out after all this time: the socket is closed without its close frame.
            return;
        }

        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
        {
            // Gone already.
        }
        finally
        {
            sending?.Release();
        }
    }

    /// <summary>How the client's socket closes: a WebSocket close status and its reason.</summary>
    private readonly record struct Closing(WebSocketCloseStatus Status, string Reason);
}
