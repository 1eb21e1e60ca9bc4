using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SessionGrid.Tests.Cluster;

/// <summary>
/// The Kubernetes manifests in <c>k8s/</c> checked against the application: every setting they set is one the code
/// reads, ports match the settings, probes name real routes, arguments parse, secrets exist, grace outlasts shutdown.
/// </summary>
public sealed class ManifestTests
{
    private static readonly string Root = FindRoot();
    private static readonly List<YamlMappingNode> Documents = LoadAll();

    [Fact]
    public void Kustomizations_name_files_that_exist_and_every_document_parses()
    {
        foreach (var kustomization in Directory.GetFiles(Path.Combine(Root, "k8s"), "kustomization.yaml", SearchOption.AllDirectories))
        {
            var folder = Path.GetDirectoryName(kustomization)!;
            var resources = Load(kustomization).Single()["resources"] as YamlSequenceNode;
            Assert.NotNull(resources);
            foreach (var resource in resources.Children.Select(r => r.ToString()))
            {
                var path = Path.GetFullPath(Path.Combine(folder, resource));
                Assert.True(File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml")), $"{kustomization} names {resource}, which does not exist");
            }
        }

        Assert.Contains(Documents, d => Kind(d) == "Job");
        Assert.Contains(Documents, d => Kind(d) == "PodDisruptionBudget");
        Assert.Contains(Documents, d => Kind(d) == "HorizontalPodAutoscaler");
        Assert.Contains(Documents, d => Kind(d) == "StatefulSet");
        Assert.Contains(Documents, d => Kind(d) == "Namespace");
    }

    [Fact]
    public void Every_setting_the_manifests_set_is_one_the_application_reads()
    {
        var known = KnownSettings();
        var names = Documents.Where(d => Kind(d) == "ConfigMap").SelectMany(d => ((YamlMappingNode)d["data"]).Children.Keys.Select(k => k.ToString()))
            .Concat(Containers().SelectMany(c => Env(c).Select(e => e.Name)))
            .Where(n => n.StartsWith("SessionGrid__", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            Assert.True(known.Contains(name.Replace("__", ":", StringComparison.Ordinal)), $"{name} is not a setting SessionGrid reads");
        }

        // What a silo needs to join a cluster, and what every container needs from the Secret.
        var silo = Container("sessiongrid-silo");
        Assert.Equal("$(POD_NAME)", Env(silo).Single(e => e.Name == "SessionGrid__Node__Name").Value);
        Assert.Equal("$(POD_IP)", Env(silo).Single(e => e.Name == "SessionGrid__Orleans__AdvertisedIp").Value);
        Assert.Contains(Env(silo), e => e.Name == "POD_IP" && e.FieldPath == "status.podIP");
        Assert.Contains(Env(silo), e => e.Name == "POD_NAME" && e.FieldPath == "metadata.name");
    }

    [Fact]
    public void Ports_match_the_settings_and_probes_name_routes_the_application_serves()
    {
        var config = ((YamlMappingNode)Documents.Single(d => Kind(d) == "ConfigMap" && Name(d) == "sessiongrid-config")["data"]).Children
            .ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        var silo = Container("sessiongrid-silo");
        var ports = ((YamlSequenceNode)silo["ports"]).Children.Cast<YamlMappingNode>().ToDictionary(p => p["name"].ToString(), p => int.Parse(p["containerPort"].ToString()));
        var settings = HostSettings.From(new ConfigurationBuilder().AddInMemoryCollection(config.Select(kv =>
            new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value))).AddInMemoryCollection(
            [new(HostSettings.Keys.ConnectionString, "Host=x")]).Build());
        Assert.Equal(settings.SiloPort, ports["silo"]);
        Assert.Equal(settings.GatewayPort, ports["gateway"]);
        var httpPort = new Uri(config["ASPNETCORE_URLS"].Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        Assert.Equal(httpPort, ports["http"]);
        Assert.Equal(httpPort, int.Parse(((YamlSequenceNode)Container("sessiongrid-api")["ports"]).Children.Cast<YamlMappingNode>().Single()["containerPort"].ToString()));

        var routes = AppRoutes();
        var probes = Containers().SelectMany(c => new[] { "startupProbe", "readinessProbe", "livenessProbe" }
            .Select(p => c.Children.TryGetValue(p, out var probe) && ((YamlMappingNode)probe).Children.TryGetValue("httpGet", out var get) ? ((YamlMappingNode)get)["path"].ToString() : null))
            .OfType<string>().Distinct().ToList();
        Assert.Equal(["/health/live", "/health/ready", "/health/startup"], probes.Order());
        foreach (var path in probes)
        {
            Assert.Contains(path, routes);
        }
    }

    [Fact]
    public void Arguments_parse_secrets_exist_and_the_grace_period_outlasts_the_hosts_shutdown()
    {
        foreach (var container in Containers())
        {
            var args = container.Children.TryGetValue("args", out var list) ? ((YamlSequenceNode)list).Children.Select(a => a.ToString()).ToArray() : [];
            if (args is [var command])
            {
                Assert.Equal(MigrateCommand.Name, command);
                continue;
            }

            var configuration = new ConfigurationBuilder().AddCommandLine(args)
                .AddInMemoryCollection([new(HostSettings.Keys.Storage, "postgres"), new(HostSettings.Keys.ConnectionString, "Host=x")]).Build();
            Assert.NotNull(HostSettings.From(configuration));
        }

        Assert.Equal(HostRole.Api, RoleOf("sessiongrid-api"));
        Assert.Equal(HostRole.Silo, RoleOf("sessiongrid-silo"));

        var generated = Load(Path.Combine(Root, "k8s/overlays/dev/kustomization.yaml")).Single()["secretGenerator"];
        var secrets = ((YamlSequenceNode)generated).Children.Cast<YamlMappingNode>().ToDictionary(
            s => s["name"].ToString(), s => ((YamlSequenceNode)s["literals"]).Children.Select(l => l.ToString().Split('=', 2)[0]).ToHashSet());
        foreach (var reference in Containers().SelectMany(Env).Where(e => e.SecretName is not null))
        {
            Assert.True(secrets.TryGetValue(reference.SecretName!, out var keys) && keys.Contains(reference.SecretKey!),
                $"{reference.Name} reads {reference.SecretName}/{reference.SecretKey}, which the dev overlay does not generate");
        }

        var grace = int.Parse(((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Workload("sessiongrid-silo")["spec"])["template"])["spec"])["terminationGracePeriodSeconds"].ToString());
        Assert.True(TimeSpan.FromSeconds(grace) > SessionGridApp.ShutdownTimeout);
        var volumes = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Workload("sessiongrid-silo")["spec"])["template"])["spec"])["volumes"]).Children.Cast<YamlMappingNode>();
        Assert.Contains(volumes, v => v.Children.TryGetValue("emptyDir", out var dir) && ((YamlMappingNode)dir).Children.TryGetValue("medium", out var medium) && medium.ToString() == "Memory");
        Assert.Contains(((YamlSequenceNode)Container("sessiongrid-silo")["volumeMounts"]).Children.Cast<YamlMappingNode>(), m => m["mountPath"].ToString() == "/dev/shm");
    }

    private static HostRole RoleOf(string workload) =>
        HostSettings.From(new ConfigurationBuilder()
            .AddCommandLine([.. ((YamlSequenceNode)Container(workload)["args"]).Children.Select(a => a.ToString())])
            .AddInMemoryCollection([new(HostSettings.Keys.Storage, "postgres"), new(HostSettings.Keys.ConnectionString, "Host=x")]).Build()).Role;

    /// <summary>Every setting key the application reads: the host's own, and each options class's section and properties.</summary>
    private static HashSet<string> KnownSettings()
    {
        var known = new HashSet<string>(HostSettings.Keys.All, StringComparer.OrdinalIgnoreCase);
        var assemblies = new[] { typeof(SessionGridApp), typeof(global::SessionGrid.Grains.Browser.BrowserHost), typeof(global::SessionGrid.Api.Hosting.ApiServiceCollectionExtensions), typeof(global::SessionGrid.Contracts.Sessions.SessionSpec) }
            .Select(t => t.Assembly);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } section)
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                {
                    known.Add($"{section.GetRawConstantValue()}:{property.Name}");
                }
            }

            if (type.GetField("Setting", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } setting)
            {
                known.Add((string)setting.GetRawConstantValue()!);
            }
        }

        return known;
    }

    /// <summary>The route patterns of the host the executable builds.</summary>
    private static HashSet<string> AppRoutes()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-manifest-").FullName;
        try
        {
            var app = SessionGridApp.Build([.. TestHostSettings.For(dataDir).Select(kv => $"--{kv.Key}={kv.Value}")], TextWriter.Null);
            return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))];
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static IEnumerable<YamlMappingNode> Containers() => Documents
        .Where(d => Kind(d) is "Deployment" or "Job" && Name(d).StartsWith("sessiongrid", StringComparison.Ordinal))
        .SelectMany(d => ((YamlSequenceNode)Spec(d)["containers"]).Children.Cast<YamlMappingNode>());

    private static YamlMappingNode Container(string workload) => ((YamlSequenceNode)Spec(Workload(workload))["containers"]).Children.Cast<YamlMappingNode>().Single();

    private static YamlMappingNode Workload(string name) => Documents.Single(d => Kind(d) == "Deployment" && Name(d) == name);

    private static YamlMappingNode Spec(YamlMappingNode workload) =>
        (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)workload["spec"])["template"])["spec"];

    private static IEnumerable<EnvVar> Env(YamlMappingNode container) =>
        container.Children.TryGetValue("env", out var env)
            ? ((YamlSequenceNode)env).Children.Cast<YamlMappingNode>().Select(e =>
            {
                var from = e.Children.TryGetValue("valueFrom", out var f) ? (YamlMappingNode)f : null;
                var secret = from?.Children.TryGetValue("secretKeyRef", out var s) == true ? (YamlMappingNode)s : null;
                var field = from?.Children.TryGetValue("fieldRef", out var r) == true ? ((YamlMappingNode)r)["fieldPath"].ToString() : null;
                return new EnvVar(e["name"].ToString(), e.Children.TryGetValue("value", out var v) ? v.ToString() : null,
                    secret?["name"].ToString(), secret?["key"].ToString(), field);
            })
            : [];

    private sealed record EnvVar(string Name, string? Value, string? SecretName, string? SecretKey, string? FieldPath);

    private static string Kind(YamlMappingNode document) => document["kind"].ToString();

    private static string Name(YamlMappingNode document) => ((YamlMappingNode)document["metadata"])["name"].ToString();

    private static List<YamlMappingNode> LoadAll() =>
        [.. Directory.GetFiles(Path.Combine(Root, "k8s"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(Load)];

    private static IEnumerable<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode);
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "SessionGrid.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root (SessionGrid.sln) was not found.");
    }
}
