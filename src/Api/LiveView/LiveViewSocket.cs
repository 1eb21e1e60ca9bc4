using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.LiveView;

/// <summary>
/// One viewer's WebSocket. Out: each new frame as a text message <c>{"type": "frame", "seq", "width", "height"}</c>
/// (the remote viewport in CSS pixels) followed by a binary message with the JPEG, fetched by long-polling the session.
/// In: the viewer's input messages (<see cref="LiveInputJson"/>), played into the page only when the view was opened
/// with <c>interactive=true</c>; otherwise, and when the page does not take one, the answer is
/// <c>{"type": "input_refused", "detail"}</c>. The socket closes (normal closure) when the session ends.
/// </summary>
internal sealed class LiveViewSocket(WebSocket socket, ISessionGrain session, string token, bool interactive)
{
    /// <summary>How long one frame request waits for a new frame before asking again (kept under the grain call timeout).</summary>
    private static readonly TimeSpan FrameWait = TimeSpan.FromSeconds(5);

    /// <summary>How long closing waits for the viewer's side of the close handshake.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    private const int MaxMessageBytes = 16 * 1024;

    private readonly SemaphoreSlim _sending = new(1, 1);

    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var frames = SendFramesAsync(stop.Token);
        var input = ReceiveInputAsync(stop.Token);
        try
        {
            if (await Task.WhenAny(frames, input) == frames)
            {
                // The session ended: say so, and give the viewer a moment to answer the close.
                await CloseAsync(await frames);
                await input.WaitAsync(CloseWait, aborted);
            }
            else
            {
                await input;
                await CloseAsync(null);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or TimeoutException)
        {
            // The viewer went away, or did not answer the close.
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(frames, input).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Sends frames until the session refuses (the reason: it ended) or the viewer leaves.</summary>
    private async Task<string?> SendFramesAsync(CancellationToken cancellationToken)
    {
        var seq = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            LiveFrameReply reply;
            try
            {
                reply = await session.LiveFrameAsync(token, seq, FrameWait);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return "the live view stopped: the session did not answer";
            }

            if (!reply.Reply.Accepted)
            {
                return reply.Reply.Refusal == SessionRefusal.Forbidden ? "the live-view token no longer opens this session" : "the session ended";
            }

            if (reply.Frame is not { } frame || cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            seq = frame.Seq;
            var meta = new JsonObject { ["type"] = "frame", ["seq"] = frame.Seq, ["width"] = frame.Width, ["height"] = frame.Height };
            await SendAsync(Encoding.UTF8.GetBytes(meta.ToJsonString()), WebSocketMessageType.Text, cancellationToken);
            await SendAsync(frame.Jpeg, WebSocketMessageType.Binary, cancellationToken);
        }

        return null;
    }

    /// <summary>Reads the viewer's messages until they close the socket.</summary>
    private async Task ReceiveInputAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                if (length == buffer.Length)
                {
                    await CloseAsync($"messages are at most {MaxMessageBytes} bytes", WebSocketCloseStatus.MessageTooBig);
                    return;
                }

                received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += received.Count;
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var refusal = received.MessageType == WebSocketMessageType.Text
                ? await PlayAsync(Encoding.UTF8.GetString(buffer, 0, length))
                : "input messages are JSON text";
            if (refusal is not null)
            {
                var answer = new JsonObject { ["type"] = "input_refused", ["detail"] = refusal };
                await SendAsync(Encoding.UTF8.GetBytes(answer.ToJsonString()), WebSocketMessageType.Text, cancellationToken);
            }
        }
    }

    /// <summary>Plays one input message into the page; null when it was played, else why not.</summary>
    private async Task<string?> PlayAsync(string message)
    {
        if (!interactive)
        {
            return "this live view was opened without interactive=true: input is ignored";
        }

        if (LiveInputJson.Parse(message, out var error) is not { } input)
        {
            return error;
        }

        var reply = await session.LiveInputAsync(token, input);
        return reply.Accepted ? null : reply.Reason;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(message, type, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Sends the close (normal closure with <paramref name="reason"/>, say that the session ended) unless it was sent already.</summary>
    private async Task CloseAsync(string? reason, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        await _sending.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseWait);
                await socket.CloseOutputAsync(status, reason ?? "bye", timeout.Token);
            }
        }
        finally
        {
            _sending.Release();
        }
    }
}
