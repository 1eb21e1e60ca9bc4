using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SessionGrid.Grains.Browser;

/// <summary>
/// The ad and tracker hosts a session with ad blocking (<c>use_adblock</c>) does not reach: the list SessionGrid ships
/// (<c>BlockList/ad-hosts.txt</c>, CC0), or the operator's own (<see cref="BrowserOptions.BlockListPath"/>), which
/// replaces it. A listed host blocks itself and every subdomain. Lines are read in the hosts format
/// (<c>0.0.0.0 ads.example</c>), Adblock's domain format (<c>||ads.example^</c>) or as one host each; comments
/// (<c>#</c>, <c>!</c>) and rules of any other kind (paths, options, exceptions, element hiding) are skipped. The list is
/// one regular expression over request URLs (a trie of the hosts, so a long list stays quick to match), which the
/// browser's request routes use.
/// </summary>
public sealed partial class BlockList
{
    private const string Resource = "SessionGrid.Grains.Browser.BlockList.ad-hosts.txt";

    public BlockList(IOptions<BrowserOptions> options)
    {
        var path = options.Value.BlockListPath;
        var source = string.IsNullOrWhiteSpace(path) ? "the built-in block list" : $"{BrowserOptions.Section}:BlockListPath ({path})";
        var (hosts, skipped) = Parse(string.IsNullOrWhiteSpace(path) ? BuiltIn() : File.ReadAllLines(path));
        if (hosts.Count == 0)
        {
            throw new InvalidOperationException($"{source} has no host to block: write one host per line, as '0.0.0.0 ads.example' or '||ads.example^'");
        }

        Hosts = hosts;
        Skipped = skipped;
        Source = source;
        Requests = new Regex($@"^(?:https?|wss?)://(?:[^/?#@]*@)?(?:[^/?#@:\[\]]*\.)?{Trie(hosts)}\.?(?::[0-9]+)?(?:[/?#]|$)",
            RegexOptions.IgnoreCase);
    }

    /// <summary>The listed hosts (lower case, IDNs in their <c>xn--</c> form).</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>Lines of the list that were not a host rule SessionGrid reads.</summary>
    public int Skipped { get; }

    /// <summary>Where the list came from, for the log.</summary>
    public string Source { get; }

    /// <summary>Requests (and WebSockets) to a listed host or one of its subdomains.</summary>
    public Regex Requests { get; }

    /// <summary>The hosts a list names, and how many of its lines named none.</summary>
    public static (IReadOnlyList<string> Hosts, int Skipped) Parse(IEnumerable<string> lines)
    {
        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '!' or '[')
            {
                continue;
            }

            var found = HostsOf(line);
            if (found.Count == 0)
            {
                skipped++;
            }

            hosts.UnionWith(found);
        }

        return ([.. hosts], skipped);
    }

    /// <summary>The hosts one line names: an Adblock domain rule, a hosts-file line, or a single host; none for anything else.</summary>
    private static List<string> HostsOf(string line)
    {
        if (line.StartsWith("@@", StringComparison.Ordinal) || CosmeticRule().IsMatch(line))
        {
            return [];
        }

        if (line.StartsWith("||", StringComparison.Ordinal))
        {
            var rule = line[2..];
            var end = rule.IndexOf('^', StringComparison.Ordinal);
            return (end < 0 ? rule : end == rule.Length - 1 ? rule[..end] : null) is { } name && Host(name) is { } host ? [host] : [];
        }

        var tokens = line.Split('#', 2)[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length >= 2 && IPAddress.TryParse(tokens[0], out _))
        {
            return [.. tokens.Skip(1).Select(Host).OfType<string>()];
        }

        return tokens.Length == 1 && Host(tokens[0]) is { } single ? [single] : [];
    }

    /// <summary>A host name with at least one dot, canonical (lower case, <c>xn--</c>); null for anything else.</summary>
    private static string? Host(string name)
    {
        name = name.TrimEnd('.');
        if (!name.Contains('.', StringComparison.Ordinal) || name.StartsWith("localhost.", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var ascii = new IdnMapping().GetAscii(name).ToLowerInvariant();
            return Uri.CheckHostName(ascii) == UriHostNameType.Dns && HostChars().IsMatch(ascii) ? ascii : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static IEnumerable<string> BuiltIn()
    {
        using var stream = typeof(BlockList).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the built-in block list ({Resource}) is missing from the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n');
    }

    /// <summary>The hosts as one alternation that shares their common beginnings, so matching does not try every host in turn.</summary>
    private static string Trie(IEnumerable<string> hosts)
    {
        var root = new Node();
        foreach (var host in hosts)
        {
            var node = root;
            foreach (var c in host)
            {
                node = node.Children.TryGetValue(c, out var next) ? next : node.Children[c] = new Node();
            }

            node.End = true;
        }

        return "(?:" + Emit(root) + ")";
    }

    private static string Emit(Node node)
    {
        var branches = node.Children.OrderBy(c => c.Key).Select(c => Escape(c.Key) + Emit(c.Value)).ToList();
        if (branches.Count == 0)
        {
            return "";
        }

        var alternation = branches.Count == 1 && !node.End ? branches[0] : "(?:" + string.Join('|', branches) + ")";
        return node.End ? alternation + "?" : alternation;
    }

    private static string Escape(char c) => c is '.' ? @"\." : c.ToString();

    private sealed class Node
    {
        public SortedDictionary<char, Node> Children { get; } = [];

        public bool End { get; set; }
    }

    /// <summary>Adblock's element hiding and scriptlet rules (<c>example.org##.banner</c>, <c>#@#</c>, <c>#?#</c>, <c>#$#</c>).</summary>
    [GeneratedRegex("#[@?$]?#")]
    private static partial Regex CosmeticRule();

    [GeneratedRegex("^[a-z0-9_.-]+$")]
    private static partial Regex HostChars();
}
