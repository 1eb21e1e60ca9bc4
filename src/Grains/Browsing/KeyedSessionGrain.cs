using System.Security.Cryptography;
using System.Text;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Hosting;
using SessionGrid.Grains.Placement;

namespace SessionGrid.Grains.Browsing;

[GenerateSerializer, Alias("sg.KeyedSessionState")]
public sealed class KeyedSessionState
{
    [Id(0)] public string? SessionId { get; set; }
    [Id(1)] public string? Node { get; set; }
}

/// <summary>
/// The open session behind one owner's <c>session_key</c>. Requests to it are serialized, so two tasks of a key never
/// open two sessions; the session itself runs their commands one after another, on the node it was opened on. Its
/// session (id <c>bss_…</c>) is opened in the spec's dialect (the Browsing API's), so no other dialect lists or reads it.
/// </summary>
public sealed class KeyedSessionGrain(
    [PersistentState("keyed-session", StorageNames.Default)] IPersistentState<KeyedSessionState> state,
    NodeDirectory nodes) : Grain, IKeyedSessionGrain
{
    /// <summary>The grain key for an owner's session key (hashed: a client's key may be any string).</summary>
    public static string KeyOf(string owner, string sessionKey) =>
        $"{owner}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionKey)))[..32]}";

    public async Task<KeyedSession> AcquireAsync(SessionSpec spec, string node)
    {
        if (state.State is { SessionId: { } current, Node: { } currentNode }
            && (await GrainFactory.GetGrain<ISessionGrain>(current).DescribeAsync()).Open)
        {
            return new KeyedSession(current, currentNode, true);
        }

        var target = nodes.Live().FirstOrDefault(n => n.Name == node);
        if (target is null)
        {
            return new KeyedSession("", node, false);
        }

        var sessionId = Ids.New("bss_");
        var session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
        var opened = await OnNode.OpenSessionAsync(session, spec, target.Address);
        if (opened)
        {
            state.State.SessionId = sessionId;
            state.State.Node = node;
            await state.WriteStateAsync();
        }

        return new KeyedSession(sessionId, node, opened);
    }
}
