using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.Mcp;

/// <summary>
/// Tells MCP clients when a session ends. Each MCP session watches the sessions its client knows of (it opened, listed,
/// read or subscribed to them): a long-poll on the session's task record (<see cref="ITaskGrain.WaitForEndAsync"/>,
/// in <see cref="LongPoll.Slice"/> waits that block no grain) until it finishes (closed, idle timeout, cancelled,
/// crashed, lost), then <c>notifications/resources/updated</c> when the client subscribed to it and
/// <c>notifications/resources/list_changed</c>, over the MCP session's stream. A watch ends with its session, so it
/// lasts at most a session's life; an MCP session with nothing left to watch is forgotten.
/// </summary>
public sealed partial class SessionEndWatches(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<SessionEndWatches> log)
{
    private readonly ConcurrentDictionary<string, McpSessionWatch> _byMcpSession = new(StringComparer.Ordinal);

    /// <summary>Watches <paramref name="sessionId"/> for the MCP session of <paramref name="server"/> (once; none without an MCP session).</summary>
    public void Watch(McpServer server, string sessionId) => For(server)?.Add(sessionId);

    /// <summary>The client subscribed to the session's resource: its end is also told as <c>resources/updated</c>.</summary>
    public void Subscribe(McpServer server, string sessionId)
    {
        if (For(server) is { } watch)
        {
            watch.Subscribed[sessionId] = true;
            watch.Add(sessionId);
        }
    }

    public void Unsubscribe(McpServer server, string sessionId)
    {
        if (server.SessionId is { } mcpSession && _byMcpSession.TryGetValue(mcpSession, out var watch))
        {
            watch.Subscribed.TryRemove(sessionId, out _);
        }
    }

    /// <summary>Tells the client the list of sessions changed (one opened).</summary>
    public async Task ListChangedAsync(McpServer server)
    {
        if (server.SessionId is not null)
        {
            await SendAsync(server, NotificationMethods.ResourceListChangedNotification, null);
        }
    }

    private McpSessionWatch? For(McpServer server) =>
        server.SessionId is { } mcpSession ? _byMcpSession.GetOrAdd(mcpSession, id => new McpSessionWatch(this, id, server)) : null;

    private async Task WatchAsync(McpSessionWatch watch, string sessionId)
    {
        var record = grains.GetGrain<ITaskGrain>(sessionId);
        var stopping = lifetime.ApplicationStopping;
        try
        {
            // A read reports a session whose node is gone as ended, so each slice reads the record before it waits.
            while (await record.GetAsync(0, includeEvents: false) is { } task && !task.Phase.IsFinished())
            {
                await record.WaitForEndAsync(LongPoll.Slice, stopping);
                stopping.ThrowIfCancellationRequested();
            }

            if (watch.Subscribed.TryRemove(sessionId, out _))
            {
                await SendAsync(watch.Server, NotificationMethods.ResourceUpdatedNotification, SessionView.Uri(sessionId));
            }

            await SendAsync(watch.Server, NotificationMethods.ResourceListChangedNotification, null);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host stops: its MCP sessions end with it.
        }
        catch (Exception ex)
        {
            LogWatchFailed(ex, sessionId);
        }
        finally
        {
            watch.Remove(sessionId);
        }
    }

    /// <summary>Sends a notification; one the MCP session can no longer take (it ended) is dropped.</summary>
    private async Task SendAsync(McpServer server, string method, string? uri)
    {
        try
        {
            if (uri is null)
            {
                await server.SendNotificationAsync(method);
            }
            else
            {
                await server.SendNotificationAsync(method, new ResourceUpdatedNotificationParams { Uri = uri });
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException or McpException)
        {
            LogNotificationDropped(method, server.SessionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The MCP watch of session {SessionId} stopped")]
    private partial void LogWatchFailed(Exception ex, string sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped MCP notification {Method}: MCP session {McpSession} ended")]
    private partial void LogNotificationDropped(string method, string? mcpSession);

    /// <summary>One MCP session's watched sessions; forgotten when none is left.</summary>
    private sealed class McpSessionWatch(SessionEndWatches owner, string mcpSession, McpServer server)
    {
        private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);

        public McpServer Server => server;

        public ConcurrentDictionary<string, bool> Subscribed { get; } = new(StringComparer.Ordinal);

        public void Add(string sessionId)
        {
            lock (_sessions)
            {
                if (!_sessions.Add(sessionId))
                {
                    return;
                }

                // Forgotten meanwhile (its last session ended): be its MCP session's watch again.
                owner._byMcpSession.TryAdd(mcpSession, this);
            }

            _ = owner.WatchAsync(this, sessionId);
        }

        public void Remove(string sessionId)
        {
            lock (_sessions)
            {
                _sessions.Remove(sessionId);
                if (_sessions.Count == 0)
                {
                    owner._byMcpSession.TryRemove(KeyValuePair.Create(mcpSession, this));
                }
            }
        }
    }
}
