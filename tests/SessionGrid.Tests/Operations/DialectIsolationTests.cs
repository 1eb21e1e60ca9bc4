using System.Text.RegularExpressions;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// The three dialects never import each other: no file in one dialect's folder (src/Api/TaskApi, BrowserSessionApi,
/// BrowsingApi) names another dialect's namespace, in a using directive or a qualified name, and no global using or
/// project-wide using brings one into scope. What they share lives in Api/Http, Api/Agent, Api/Actions.
/// </summary>
public sealed partial class DialectIsolationTests
{
    private static readonly string[] Dialects = ["TaskApi", "BrowserSessionApi", "BrowsingApi"];

    [Fact]
    public void No_dialect_folder_references_another_dialects_namespace()
    {
        var api = Path.Combine(RepositoryRoot(), "src", "Api");
        var crossings = new List<string>();
        foreach (var dialect in Dialects)
        {
            var files = Directory.GetFiles(Path.Combine(api, dialect), "*.cs", SearchOption.AllDirectories);
            Assert.True(files.Length > 0, $"src/Api/{dialect} has no source files: the scan looks in the wrong place");
            foreach (var file in files)
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    crossings.AddRange(References(lines[i])
                        .Where(other => other != dialect)
                        .Select(other => $"{Path.GetRelativePath(api, file)}:{i + 1} ({dialect}) names {other}: {lines[i].Trim()}"));
                }
            }
        }

        Assert.True(crossings.Count == 0, "dialects import each other; move what they share to Api/Http or Api/Agent:\n" + string.Join("\n", crossings));
    }

    [Fact]
    public void No_global_using_brings_a_dialect_into_every_file()
    {
        var api = Path.Combine(RepositoryRoot(), "src", "Api");
        var global = Directory.GetFiles(api, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Where(l => GlobalUsing().IsMatch(l) && References(l).Any()).Select(l => $"{Path.GetRelativePath(api, f)}: {l.Trim()}"))
            .Concat(File.ReadAllLines(Path.Combine(api, "SessionGrid.Api.csproj")).Where(l => ProjectUsing().IsMatch(l)).Select(l => $"SessionGrid.Api.csproj: {l.Trim()}"))
            .ToList();
        Assert.True(global.Count == 0, "a dialect's namespace is imported project-wide:\n" + string.Join("\n", global));
    }

    [Fact]
    public void The_scan_sees_the_ways_a_file_names_another_dialect()
    {
        Assert.Equal(["TaskApi"], References("using SessionGrid.Api.TaskApi;"));
        Assert.Equal(["TaskApi"], References("using static SessionGrid.Api.TaskApi.TaskApiWire;"));
        Assert.Equal(["TaskApi"], References("using Wire = global::SessionGrid.Api.TaskApi.TaskApiWire;"));
        Assert.Equal(["BrowsingApi"], References("var t = new SessionGrid.Api.BrowsingApi.BrowsingTemplates(options);"));
        Assert.Equal(["TaskApi"], References("var d = TaskApi.TaskApiWire.Device(x);"));
        Assert.Equal(["BrowserSessionApi"], References("/// <see cref=\"Api.BrowserSessionApi.BrowserSessionWire\"/>"));
        Assert.Empty(References("namespace SessionGrid.Api.Http;"));
        Assert.Empty(References("var ids = ListTasksAsync(Dialects.TaskApi, null, 10);"));
        Assert.Empty(References("// the Task API and the Browser Session API both take it"));
    }

    /// <summary>The dialects a line of source names: their namespace, whole or from <c>Api.</c> or the dialect on.</summary>
    private static IEnumerable<string> References(string line) =>
        QualifiedName().Matches(line).Select(m => m.Groups["dialect"].Value).Distinct();

    /// <summary>The repository's root: the first folder up from the test's binaries that holds the solution.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionGrid.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no SessionGrid.sln above {AppContext.BaseDirectory}");
    }

    // SessionGrid.Api.TaskApi…, or Api.TaskApi.X / TaskApi.X not preceded by another name (Dialects.TaskApi is a constant).
    [GeneratedRegex(@"(?:\bSessionGrid\.Api\.|(?<![\w.])(?:Api\.)?)(?<dialect>TaskApi|BrowserSessionApi|BrowsingApi)\b(?=\s*[.;])")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^\s*global\s+using\b")]
    private static partial Regex GlobalUsing();

    [GeneratedRegex(@"<Using\s+Include=""SessionGrid\.Api\.(TaskApi|BrowserSessionApi|BrowsingApi)\b")]
    private static partial Regex ProjectUsing();
}
