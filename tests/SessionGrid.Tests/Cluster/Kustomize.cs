using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace SessionGrid.Tests.Cluster;

/// <summary>
/// The part of kustomize that <c>k8s/</c> uses, so the suite renders every overlay without kubectl: resources (files
/// and folders), <c>namespace</c>, <c>labels</c> (metadata only), <c>images</c>, <c>secretGenerator</c> literals without
/// a name hash, and <c>patches</c> as JSON 6902 operations on a target kind and name. Any other field fails the render,
/// so a manifest that needs more of kustomize needs more here (or kubectl, which <see cref="KubectlRender"/> runs when
/// it is installed, to check this renderer against the real one).
/// </summary>
public static class Kustomize
{
    private static readonly HashSet<string> Fields = ["apiVersion", "kind", "namespace", "labels", "resources", "images", "secretGenerator", "patches"];

    /// <summary>Cluster-scoped kinds: the namespace transformer leaves them alone.</summary>
    private static readonly HashSet<string> ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "StorageClass"];

    /// <summary>The objects the kustomization in <paramref name="folder"/> renders.</summary>
    public static List<YamlMappingNode> Render(string folder)
    {
        var kustomization = Load(Path.Combine(folder, "kustomization.yaml")).Single();
        foreach (var field in kustomization.Children.Keys.Select(k => k.ToString()))
        {
            if (!Fields.Contains(field))
            {
                throw new NotSupportedException($"{folder}/kustomization.yaml uses '{field}', which the tests' renderer does not know");
            }
        }

        var documents = new List<YamlMappingNode>();
        foreach (var resource in Sequence(kustomization, "resources").Select(r => r.ToString()))
        {
            var path = Path.GetFullPath(Path.Combine(folder, resource));
            documents.AddRange(Directory.Exists(path) ? Render(path) : Load(path));
        }

        documents.AddRange(Sequence(kustomization, "secretGenerator").Cast<YamlMappingNode>().Select(Secret));
        foreach (var patch in Sequence(kustomization, "patches").Cast<YamlMappingNode>())
        {
            Patch(documents, patch);
        }

        foreach (var image in Sequence(kustomization, "images").Cast<YamlMappingNode>())
        {
            SetImages(documents, image);
        }

        foreach (var labels in Sequence(kustomization, "labels").Cast<YamlMappingNode>())
        {
            if (labels.Children.TryGetValue("includeSelectors", out var selectors) && selectors.ToString() == "true")
            {
                throw new NotSupportedException("labels with includeSelectors: true");
            }

            foreach (var document in documents)
            {
                var metadata = (YamlMappingNode)document["metadata"];
                if (!metadata.Children.TryGetValue("labels", out var existing))
                {
                    existing = new YamlMappingNode();
                    metadata.Add("labels", existing);
                }

                foreach (var (key, value) in ((YamlMappingNode)labels["pairs"]).Children)
                {
                    ((YamlMappingNode)existing).Children[key] = new YamlScalarNode(value.ToString());
                }
            }
        }

        if (kustomization.Children.TryGetValue("namespace", out var ns))
        {
            foreach (var document in documents.Where(d => !ClusterScoped.Contains(d["kind"].ToString())))
            {
                ((YamlMappingNode)document["metadata"]).Children["namespace"] = new YamlScalarNode(ns.ToString());
            }
        }

        return documents;
    }

    /// <summary>What <c>kubectl kustomize</c> renders from <paramref name="folder"/>; null when kubectl is not installed.</summary>
    public static List<YamlMappingNode>? KubectlRender(string folder)
    {
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl is null)
        {
            return null;
        }

        var start = new ProcessStartInfo(kubectl, ["kustomize", folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder}: {errors}");
        var stream = new YamlStream();
        stream.Load(new StringReader(output.Result));
        var documents = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
        foreach (var secret in documents.Where(d => d["kind"].ToString() == "Secret" && d.Children.ContainsKey("data")))
        {
            // kubectl folds long base64 values over lines; the line breaks are no part of the value.
            var data = (YamlMappingNode)secret["data"];
            foreach (var key in data.Children.Keys.ToList())
            {
                data.Children[key] = new YamlScalarNode(string.Concat(data[key].ToString().Where(c => !char.IsWhiteSpace(c))));
            }
        }

        return documents;
    }

    /// <summary>A document as JSON with its keys in order, for comparing renders (every scalar as its text).</summary>
    public static string Canonical(YamlNode node) => ToJson(node)!.ToJsonString();

    public static IEnumerable<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key.ToString(), ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(key, out var node) ? ((YamlSequenceNode)node).Children : [];

    private static YamlMappingNode Secret(YamlMappingNode generator)
    {
        if (!(generator.Children.TryGetValue("options", out var options)
            && ((YamlMappingNode)options).Children.TryGetValue("disableNameSuffixHash", out var noHash) && noHash.ToString() == "true"))
        {
            throw new NotSupportedException("a secretGenerator with a name hash");
        }

        var data = new YamlMappingNode();
        foreach (var literal in Sequence(generator, "literals").Select(l => l.ToString().Split('=', 2)))
        {
            data.Add(literal[0], Convert.ToBase64String(Encoding.UTF8.GetBytes(literal[1])));
        }

        return new YamlMappingNode(
            new YamlScalarNode("apiVersion"), new YamlScalarNode("v1"),
            new YamlScalarNode("kind"), new YamlScalarNode("Secret"),
            new YamlScalarNode("metadata"), new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode(generator["name"].ToString())),
            new YamlScalarNode("type"), new YamlScalarNode("Opaque"),
            new YamlScalarNode("data"), data);
    }

    private static void Patch(List<YamlMappingNode> documents, YamlMappingNode patch)
    {
        var target = (YamlMappingNode)patch["target"];
        var matches = documents.Where(d => d["kind"].ToString() == target["kind"].ToString()
            && ((YamlMappingNode)d["metadata"])["name"].ToString() == target["name"].ToString()).ToList();
        Assert.True(matches.Count > 0, $"a patch targets {target["kind"]} {target["name"]}, which nothing renders");
        var stream = new YamlStream();
        stream.Load(new StringReader(patch["patch"].ToString()));
        if (stream.Documents.Single().RootNode is not YamlSequenceNode operations)
        {
            throw new NotSupportedException("a strategic-merge patch (only JSON 6902 operations are rendered)");
        }

        foreach (var document in matches)
        {
            foreach (var operation in operations.Children.Cast<YamlMappingNode>())
            {
                Apply(document, operation["op"].ToString(), operation["path"].ToString(),
                    operation.Children.TryGetValue("value", out var value) ? value : null);
            }
        }
    }

    private static void Apply(YamlMappingNode document, string op, string path, YamlNode? value)
    {
        var steps = path.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        YamlNode parent = document;
        foreach (var step in steps[..^1])
        {
            parent = parent is YamlSequenceNode list ? list.Children[int.Parse(step)] : ((YamlMappingNode)parent)[step];
        }

        var last = steps[^1];
        switch (op, parent)
        {
            case ("remove", YamlMappingNode map):
                Assert.True(map.Children.Remove(new YamlScalarNode(last)), $"remove {path}: no such field");
                break;
            case ("remove", YamlSequenceNode list):
                list.Children.RemoveAt(int.Parse(last));
                break;
            case ("replace", YamlMappingNode map):
                Assert.True(map.Children.ContainsKey(new YamlScalarNode(last)), $"replace {path}: no such field");
                map.Children[new YamlScalarNode(last)] = value!;
                break;
            case ("add", YamlMappingNode map):
                map.Children[new YamlScalarNode(last)] = value!;
                break;
            case ("add", YamlSequenceNode list):
                if (last == "-")
                {
                    list.Children.Add(value!);
                }
                else
                {
                    list.Children.Insert(int.Parse(last), value!);
                }

                break;
            default:
                throw new NotSupportedException($"patch op {op} at {path}");
        }
    }

    private static void SetImages(List<YamlMappingNode> documents, YamlMappingNode image)
    {
        var name = image["name"].ToString();
        var newName = image.Children.TryGetValue("newName", out var n) ? n.ToString() : name;
        var tag = image.Children.TryGetValue("newTag", out var t) ? ":" + t : "";
        foreach (var container in documents.SelectMany(Containers))
        {
            var current = container["image"].ToString();
            if (current == name || current.StartsWith(name + ":", StringComparison.Ordinal))
            {
                container.Children[new YamlScalarNode("image")] = new YamlScalarNode(newName + (tag.Length > 0 ? tag : current[name.Length..]));
            }
        }
    }

    /// <summary>The containers of a workload (a Deployment, StatefulSet or Job); none for other kinds.</summary>
    public static IEnumerable<YamlMappingNode> Containers(YamlMappingNode document) =>
        document["kind"].ToString() is "Deployment" or "StatefulSet" or "Job"
            ? ((YamlSequenceNode)PodSpec(document)["containers"]).Children.Cast<YamlMappingNode>()
            : [];

    public static YamlMappingNode PodSpec(YamlMappingNode workload) =>
        (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)workload["spec"])["template"])["spec"];
}
