using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionGrid.Api.Cdp;

/// <summary>
/// What a CDP client's command may do on its way to the session's browser (checked on the hop that reaches the
/// browser). A CDP client has the whole browser, but not the node it runs on and not the session's life:
/// <list type="bullet">
/// <item><c>Browser.close</c> closes the session (answered, then the session ends <c>closed</c> and its browser with it);</item>
/// <item>a URL that <c>Page.navigate</c>, <c>Target.createTarget</c>, <c>Fetch.continueRequest</c> or
/// <c>Network.continueInterceptedRequest</c> names must be http, https, data: or about:blank, as the URL policy allows
/// (no <c>file:</c>, <c>chrome:</c>, <c>view-source:</c> …); a request's URL rewritten by the client must not point at
/// this machine (the pages' own routes, which keep pages from the browsers' DevTools ports, saw the URL before);</item>
/// <item>commands that read or write the node's files, fetch outside the pages' routes, or hand the protocol to a page
/// are refused: <c>DOM.setFileInputFiles</c>, <c>Extensions.loadUnpacked</c>, <c>Network.loadNetworkResource</c>,
/// <c>Target.setRemoteLocations</c>, <c>Target.exposeDevToolsProtocol</c>, <c>Target.sendMessageToTarget</c> (a
/// command inside a command; flattened sessions work);</item>
/// <item><c>Browser.setDownloadBehavior</c> and <c>Page.setDownloadBehavior</c> are acknowledged and not applied:
/// downloads stay where SessionGrid's own driver put them.</item>
/// </list>
/// A message that is not one JSON object, or names its method twice, is refused. Everything else passes unchanged.
/// </summary>
public static class CdpCommandGuard
{
    /// <summary>What becomes of a command.</summary>
    public enum Outcome
    {
        /// <summary>Sent on to the browser as it is.</summary>
        Forward,

        /// <summary>Not sent on: <see cref="Verdict.Answer"/> goes back to the client.</summary>
        Answer,

        /// <summary>Not sent on: <see cref="Verdict.Answer"/> goes back to the client, and the session closes.</summary>
        CloseSession,

        /// <summary>Not a CDP message: the connection closes with <see cref="Verdict.Reason"/>.</summary>
        Refuse,
    }

    public readonly record struct Verdict(Outcome Outcome, string? Answer = null, string? Reason = null);

    private const int MaxDepth = 512;

    private const string NotCdp = "CDP messages are JSON objects with one method";

    private static readonly HashSet<string> Refused = new(StringComparer.Ordinal)
    {
        "DOM.setFileInputFiles", "Extensions.loadUnpacked", "Network.loadNetworkResource", "Target.setRemoteLocations",
        "Target.exposeDevToolsProtocol", "Target.sendMessageToTarget",
    };

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "Browser.setDownloadBehavior", "Page.setDownloadBehavior" };

    private static readonly HashSet<string> Navigating = new(StringComparer.Ordinal)
    {
        "Page.navigate", "Target.createTarget", "Fetch.continueRequest", "Network.continueInterceptedRequest",
    };

    /// <summary>Commands whose URL rewrites a request the pages' routes already let through.</summary>
    private static readonly HashSet<string> Rewriting = new(StringComparer.Ordinal) { "Fetch.continueRequest", "Network.continueInterceptedRequest" };

    public static Verdict Check(ReadOnlySpan<byte> message)
    {
        if (!TryReadMethod(message, out var method))
        {
            return new Verdict(Outcome.Refuse, Reason: NotCdp);
        }

        if (method is null || !(method == "Browser.close" || Refused.Contains(method) || Ignored.Contains(method) || Navigating.Contains(method)))
        {
            return new Verdict(Outcome.Forward);
        }

        JsonObject command;
        try
        {
            // Parsed strictly, as what is checked here must be what the browser reads.
            command = JsonNode.Parse(message, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false })!.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return new Verdict(Outcome.Refuse, Reason: NotCdp);
        }

        if (method == "Browser.close")
        {
            return new Verdict(Outcome.CloseSession, Reply(command, new JsonObject()));
        }

        if (Ignored.Contains(method))
        {
            return new Verdict(Outcome.Answer, Reply(command, new JsonObject()));
        }

        if (Refused.Contains(method))
        {
            return new Verdict(Outcome.Answer, Error(command, $"SessionGrid does not pass {method} on to its browsers"));
        }

        var url = command["params"]?["url"];
        string? text = null;
        if (url is null ? method == "Page.navigate" : url is not JsonValue value || !value.TryGetValue(out text)
            || !IsAllowed(text, emptyAllowed: method == "Target.createTarget"))
        {
            return new Verdict(Outcome.Answer, Error(command, "SessionGrid's browsers open only http, https, data: and about:blank URLs"));
        }

        return text is not null && Rewriting.Contains(method) && IsThisMachine(text)
            ? new Verdict(Outcome.Answer, Error(command, "SessionGrid does not let a CDP client point a request at its node"))
            : new Verdict(Outcome.Forward);
    }

    /// <summary>
    /// Whether a URL's scheme is one the URL policy allows: read as a browser reads it (leading and trailing controls
    /// and spaces dropped, tabs and newlines anywhere ignored, the scheme case-insensitive). Empty means about:blank.
    /// </summary>
    public static bool IsAllowed(string url, bool emptyAllowed = true)
    {
        var cleaned = new StringBuilder(url.Length);
        foreach (var c in url.Trim(ControlsAndSpace))
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                cleaned.Append(c);
            }
        }

        var text = cleaned.ToString();
        if (text.Length == 0)
        {
            return emptyAllowed;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(text[0]) || !text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            return false;
        }

        var rest = text[(colon + 1)..];
        return text[..colon].ToLowerInvariant() switch
        {
            "http" or "https" or "data" => true,
            "about" => rest.Equals("blank", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("blank#", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("blank?", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>Whether a URL names this machine: localhost (and names under it), a loopback address, or the unspecified one.</summary>
    public static bool IsThisMachine(string url)
    {
        if (!Uri.TryCreate(url.Trim(ControlsAndSpace), UriKind.Absolute, out var uri))
        {
            return true;
        }

        var host = uri.IdnHost.TrimEnd('.');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)
                && (System.Net.IPAddress.IsLoopback(address) || address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any)));
    }

    private static readonly char[] ControlsAndSpace = [.. Enumerable.Range(0, 33).Select(c => (char)c)];

    /// <summary>
    /// Reads the top-level <c>method</c> of a JSON object (null when it has none); false when the message is not one
    /// JSON object, or names a method twice or not as a string.
    /// </summary>
    private static bool TryReadMethod(ReadOnlySpan<byte> message, out string? method)
    {
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = MaxDepth });
        method = null;
        var seen = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMethod = reader.ValueTextEquals("method"u8);
                reader.Read();
                if (isMethod)
                {
                    if (seen || reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    seen = true;
                    method = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            // The object closes, and nothing follows it.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Reply(JsonObject command, JsonObject result) => Answer(command, "result", result);

    private static string Error(JsonObject command, string message) =>
        Answer(command, "error", new JsonObject { ["code"] = -32000, ["message"] = message });

    /// <summary>An answer to <paramref name="command"/>: its id, and its session's id when it was sent to one.</summary>
    private static string Answer(JsonObject command, string kind, JsonObject body)
    {
        var answer = new JsonObject { ["id"] = command["id"]?.DeepClone(), [kind] = body };
        if (command["sessionId"] is { } session)
        {
            answer["sessionId"] = session.DeepClone();
        }

        return answer.ToJsonString();
    }
}
