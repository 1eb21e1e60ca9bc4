using System.Reflection;

namespace SessionGrid.Silo.Hosting;

/// <summary>The project's own SQL scripts (<c>db/&lt;engine&gt;/*.sql</c>), embedded in this assembly, in file-name order.</summary>
public static class SqlScripts
{
    public static IReadOnlyList<(string Name, string Text)> For(string engine)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"db/{engine}/";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (name[prefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }
}
