using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SessionGrid.Tests.Cluster;

/// <summary>
/// The Kubernetes manifests in <c>k8s/</c> checked against the application: every overlay renders (by the tests'
/// <see cref="Kustomize"/>, and by kubectl when it is installed, the two alike), every setting they set is one the code
/// reads, ports match the settings, probes name real routes, arguments parse, secrets exist, grace outlasts the drain
/// and the shutdown, rolling updates add a silo before they drain one, the disruption budget and the autoscalers aim
/// at the silos. The checks of one workload read the dev overlay's render (the complete one).
/// </summary>
public sealed class ManifestTests
{
    private static readonly string Root = FindRoot();
    private static readonly List<YamlMappingNode> Documents = Kustomize.Render(Path.Combine(Root, "k8s/overlays/dev"));

    /// <summary>Every overlay's folder, and the base (what production applies with its own Secret).</summary>
    public static TheoryData<string> Overlays() =>
        [.. new[] { "k8s/base" }.Concat(Directory.GetDirectories(Path.Combine(FindRoot(), "k8s/overlays")).Order()
            .Select(d => Path.GetRelativePath(FindRoot(), d).Replace('\\', '/')))];

    [Fact]
    public void Kustomizations_name_files_that_exist_and_every_document_parses()
    {
        foreach (var kustomization in Directory.GetFiles(Path.Combine(Root, "k8s"), "kustomization.yaml", SearchOption.AllDirectories))
        {
            var folder = Path.GetDirectoryName(kustomization)!;
            var resources = Kustomize.Load(kustomization).Single()["resources"] as YamlSequenceNode;
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

        var secrets = GeneratedSecrets();
        foreach (var reference in Containers().SelectMany(Env).Where(e => e.SecretName is not null))
        {
            Assert.True(secrets.TryGetValue(reference.SecretName!, out var keys) && keys.Contains(reference.SecretKey!),
                $"{reference.Name} reads {reference.SecretName}/{reference.SecretKey}, which the dev overlay does not generate");
        }

        var grace = int.Parse(((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Workload("sessiongrid-silo")["spec"])["template"])["spec"])["terminationGracePeriodSeconds"].ToString());
        Assert.True(TimeSpan.FromSeconds(grace) > SessionGridApp.ClusterShutdownTimeout(DrainSeconds(Documents)));
        var volumes = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Workload("sessiongrid-silo")["spec"])["template"])["spec"])["volumes"]).Children.Cast<YamlMappingNode>();
        Assert.Contains(volumes, v => v.Children.TryGetValue("emptyDir", out var dir) && ((YamlMappingNode)dir).Children.TryGetValue("medium", out var medium) && medium.ToString() == "Memory");
        Assert.Contains(((YamlSequenceNode)Container("sessiongrid-silo")["volumeMounts"]).Children.Cast<YamlMappingNode>(), m => m["mountPath"].ToString() == "/dev/shm");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Each_overlay_renders_objects_that_parse_with_the_fields_the_project_relies_on(string overlay)
    {
        var rendered = Kustomize.Render(Path.Combine(Root, overlay));
        Assert.NotEmpty(rendered);
        foreach (var document in rendered)
        {
            Assert.False(string.IsNullOrEmpty(document["apiVersion"].ToString()), $"{overlay}: an object without apiVersion");
            Assert.False(string.IsNullOrEmpty(Name(document)), $"{overlay}: a {Kind(document)} without a name");
            if (Kind(document) != "Namespace")
            {
                Assert.Equal("sessiongrid", ((YamlMappingNode)document["metadata"])["namespace"].ToString());
            }
        }

        Assert.All(rendered.GroupBy(d => (Kind(d), Name(d))), g => Assert.True(g.Count() == 1, $"{overlay} renders {g.Key} {g.Count()} times"));

        // The silos drain on SIGTERM: the grace period outlasts drain and shutdown, a rolling update adds a silo before
        // it stops one, and the disruption budget selects the silo pods (and only them).
        var silo = rendered.Single(d => Kind(d) == "Deployment" && Name(d) == "sessiongrid-silo");
        var pod = Kustomize.PodSpec(silo);
        var drain = DrainSeconds(rendered);
        Assert.True(TimeSpan.FromSeconds(int.Parse(pod["terminationGracePeriodSeconds"].ToString())) > SessionGridApp.ClusterShutdownTimeout(drain),
            $"{overlay}: the silos' grace period must outlast DrainSeconds ({drain}) and the host's stop");
        var rolling = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)silo["spec"])["strategy"])["rollingUpdate"];
        Assert.Equal("0", rolling["maxUnavailable"].ToString());
        var podLabels = Labels((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)silo["spec"])["template"])["metadata"]);
        var budget = rendered.Single(d => Kind(d) == "PodDisruptionBudget");
        var selected = Labels((YamlMappingNode)((YamlMappingNode)budget["spec"])["selector"], "matchLabels");
        Assert.NotEmpty(selected);
        Assert.All(selected, label => Assert.Equal(label.Value, podLabels.GetValueOrDefault(label.Key)));
        var api = rendered.Single(d => Kind(d) == "Deployment" && Name(d) == "sessiongrid-api");
        Assert.False(selected.All(l => Labels((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)api["spec"])["template"])["metadata"]).GetValueOrDefault(l.Key) == l.Value),
            "the silos' disruption budget selects the API pods too");

        // At most one autoscaler per Deployment; a Deployment it scales has no replicas for an apply to reset.
        var scalers = rendered.Where(d => Kind(d) is "HorizontalPodAutoscaler" or "ScaledObject").ToList();
        foreach (var scaler in scalers)
        {
            var target = (YamlMappingNode)((YamlMappingNode)scaler["spec"])["scaleTargetRef"];
            var scaled = rendered.SingleOrDefault(d => Kind(d) == (target.Children.TryGetValue("kind", out var k) ? k.ToString() : "Deployment") && Name(d) == target["name"].ToString());
            Assert.True(scaled is not null, $"{overlay}: {Kind(scaler)} {Name(scaler)} scales {target["name"]}, which it does not render");
            Assert.Equal(1, scalers.Count(s => ((YamlMappingNode)((YamlMappingNode)s["spec"])["scaleTargetRef"])["name"].ToString() == target["name"].ToString()));
            if (Name(scaled) == "sessiongrid-silo")
            {
                Assert.False(((YamlMappingNode)scaled["spec"]).Children.ContainsKey("replicas"), $"{overlay}: the autoscaled silos still set replicas");
            }
        }

        if (rendered.SingleOrDefault(d => Kind(d) == "ScaledObject") is { } scaledObject)
        {
            CheckScaledObject(overlay, rendered, scaledObject);
        }
    }

    /// <summary>KEDA's trigger reads the scale signal: a route the application serves, its <c>desired</c>, with an admin key.</summary>
    private static void CheckScaledObject(string overlay, List<YamlMappingNode> rendered, YamlMappingNode scaledObject)
    {
        var spec = (YamlMappingNode)scaledObject["spec"];
        Assert.Equal("sessiongrid-silo", ((YamlMappingNode)spec["scaleTargetRef"])["name"].ToString());
        var (min, max) = (int.Parse(spec["minReplicaCount"].ToString()), int.Parse(spec["maxReplicaCount"].ToString()));
        Assert.InRange(min, 1, max);
        var trigger = (YamlMappingNode)((YamlSequenceNode)spec["triggers"]).Children.Single();
        Assert.Equal("metrics-api", trigger["type"].ToString());
        var metadata = (YamlMappingNode)trigger["metadata"];
        var url = new Uri(metadata["url"].ToString());
        Assert.Contains(url.AbsolutePath, AppRoutes());
        Assert.Equal("/api/v1/admin/capacity", url.AbsolutePath);
        Assert.StartsWith("sessiongrid-api.", url.Host);
        Assert.Contains(rendered, d => Kind(d) == "Service" && Name(d) == "sessiongrid-api");
        Assert.Equal("desired", metadata["valueLocation"].ToString());
        Assert.NotNull(typeof(global::SessionGrid.Api.OpenApi.ClusterCapacitySchema).GetProperty("Desired"));
        Assert.Equal("1", metadata["targetValue"].ToString());
        Assert.Equal("apikey", metadata["keyParamName"].ToString());

        var auth = ((YamlMappingNode)trigger["authenticationRef"])["name"].ToString();
        var triggerAuth = rendered.SingleOrDefault(d => Kind(d) == "TriggerAuthentication" && Name(d) == auth);
        Assert.True(triggerAuth is not null, $"{overlay}: the trigger authenticates with {auth}, which it does not render");
        var secret = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)triggerAuth["spec"])["secretTargetRef"]).Children.Single();
        Assert.Equal("apiKey", secret["parameter"].ToString());
        Assert.Contains(secret["key"].ToString(), GeneratedSecrets()[secret["name"].ToString()]);
        Assert.Contains(Env(Container("sessiongrid-api")), e => e.Name == "SessionGrid__AdminKeys" && e.SecretKey == secret["key"].ToString());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_tests_renderer_renders_each_overlay_as_kubectl_does(string overlay)
    {
        var folder = Path.Combine(Root, overlay);
        var real = Kustomize.KubectlRender(folder);
        Assert.SkipWhen(real is null, "kubectl is not installed: the overlays were rendered by the tests' renderer only");
        static string Key(YamlMappingNode d) => $"{Kind(d)}/{Name(d)}";
        var ours = Kustomize.Render(folder).ToDictionary(Key, Kustomize.Canonical);
        var theirs = real!.ToDictionary(Key, Kustomize.Canonical);
        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        foreach (var (key, rendered) in theirs)
        {
            Assert.True(rendered == ours[key], $"{overlay}: {key} differs\nkubectl: {rendered}\nours:    {ours[key]}");
        }
    }

    /// <summary>The drain time the ConfigMap sets, else the default.</summary>
    private static int DrainSeconds(IEnumerable<YamlMappingNode> rendered) =>
        rendered.Where(d => Kind(d) == "ConfigMap").Select(d => (YamlMappingNode)d["data"])
            .SelectMany(d => d.Children).Where(kv => kv.Key.ToString() == "SessionGrid__Node__DrainSeconds")
            .Select(kv => int.Parse(kv.Value.ToString())).DefaultIfEmpty(global::SessionGrid.Contracts.Sessions.NodeOptions.DefaultDrainSeconds).Single();

    /// <summary>The Secrets the dev overlay generates, with their keys.</summary>
    private static Dictionary<string, HashSet<string>> GeneratedSecrets() =>
        Documents.Where(d => Kind(d) == "Secret").ToDictionary(Name, d => ((YamlMappingNode)d["data"]).Children.Keys.Select(k => k.ToString()).ToHashSet());

    private static Dictionary<string, string> Labels(YamlMappingNode node, string key = "labels") =>
        node.Children.TryGetValue(key, out var labels)
            ? ((YamlMappingNode)labels).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString())
            : [];

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
