using System.Text;

namespace SessionGrid.Grains.Downloads;

/// <summary>
/// The names downloaded files are kept under: whatever a page or a server suggests (a path, <c>../</c>, control
/// characters, NUL, 500 characters) becomes one plain file name of at most <see cref="MaxLength"/> characters, unique
/// within its session.
/// </summary>
public static class DownloadNames
{
    public const int MaxLength = 120;
    private const int MaxExtensionLength = 16;
    private const string Fallback = "download";

    /// <summary>A plain file name made from <paramref name="suggested"/>: its last path segment, without control or reserved characters, shortened keeping its extension.</summary>
    public static string Safe(string? suggested)
    {
        var name = (suggested ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            clean.Append(char.IsControl(c) || c is '"' or '*' or ':' or '<' or '>' or '?' or '|' || char.IsSurrogate(c) ? '_' : c);
        }

        name = clean.ToString().Trim().Trim('.').Trim();
        if (name.Length == 0)
        {
            return Fallback;
        }

        return name.Length <= MaxLength ? name : Shorten(name, MaxLength);
    }

    /// <summary><paramref name="name"/>, or <c>name (2).ext</c>, <c>name (3).ext</c> … when <paramref name="taken"/> has it.</summary>
    public static string Unique(string name, Func<string, bool> taken)
    {
        if (!taken(name))
        {
            return name;
        }

        var (stem, extension) = Split(name);
        for (var n = 2; ; n++)
        {
            var suffix = $" ({n})";
            var candidate = Shorten(stem + suffix + extension, MaxLength, suffix + extension);
            if (!taken(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Shorten(string name, int max, string? keep = null)
    {
        if (name.Length <= max)
        {
            return name;
        }

        keep ??= Split(name).Extension;
        return name[..(max - keep.Length)].TrimEnd() + keep;
    }

    private static (string Stem, string Extension) Split(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && name.Length - dot <= MaxExtensionLength ? (name[..dot], name[dot..]) : (name, "");
    }
}
