using System.Text;
using System.Text.RegularExpressions;

namespace SessionGrid.Grains.Actions;

/// <summary>
/// A task's <c>allowed_urls</c> patterns: <c>*</c> matches within one path segment or host label run, <c>**</c>
/// anything, and a leading <c>**.</c> in the host also matches the bare domain (<c>https://**.example.com/**</c>
/// matches <c>https://example.com/</c> and <c>https://a.b.example.com/x</c>). Case-insensitive; whole-URL match.
/// </summary>
public sealed class UrlGlob
{
    private readonly Regex[] _patterns;

    public UrlGlob(IEnumerable<string> patterns) => _patterns = [.. patterns.Select(Compile)];

    public bool AllowsAll => _patterns.Length == 0;

    public bool Allows(string url) => AllowsAll || url is "about:blank" || Matches(url);

    /// <summary>Whether a pattern matches the URL itself: no pattern matches every URL, nor <c>about:blank</c> (a secret's pages).</summary>
    public bool Matches(string url) => _patterns.Any(p => p.IsMatch(url) || p.IsMatch(url.TrimEnd('/')));

    private static Regex Compile(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob.AsSpan(i).StartsWith("**."))
            {
                regex.Append(@"([^/]*\.)?");
                i += 2;
            }
            else if (glob.AsSpan(i).StartsWith("**"))
            {
                regex.Append(".*");
                i += 1;
            }
            else if (glob[i] == '*')
            {
                regex.Append("[^/]*");
            }
            else
            {
                regex.Append(Regex.Escape(glob[i].ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
