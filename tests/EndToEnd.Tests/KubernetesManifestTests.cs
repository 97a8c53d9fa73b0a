using System.Diagnostics;
using System.Text.Json.Nodes;
using Orleans.Gan.Silo;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// deploy/k8s as a user applies it: every overlay rendered by kubectl's own kustomize, validated offline against
/// Kubernetes' schemas by deploy/k8s/validate.sh, and checked for what the silos need of it. No cluster runs here.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string K8s = Path.Combine(Binaries.Root, "deploy", "k8s");

    private static string[] OverlayNames => [.. Directory.GetDirectories(Path.Combine(K8s, "overlays")).Select(Path.GetFileName).OfType<string>().Order()];

    public static TheoryData<string> Overlays => [.. OverlayNames];

    [Fact]
    public void Both_overlays_are_there()
    {
        Assert.Equal(["cpu", "gpu"], OverlayNames);
    }

    [Fact]
    public async Task Every_overlay_renders_and_passes_the_Kubernetes_schemas()
    {
        InstalledTool.Require("/usr/bin/kubectl", "kubectl");
        InstalledTool.Require("/usr/bin/node", "nodejs");
        // The first run installs the validator's npm packages into a cache.
        var (exitCode, output) = await ChildProcess.Run("bash", [Path.Combine(K8s, "validate.sh")], K8s, TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"deploy/k8s/validate.sh exited {exitCode}:\n{output}");
        foreach (var overlay in OverlayNames)
            Assert.Matches($"overlays/{overlay}: [1-9][0-9]* objects, 0 problems", output);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_silos_environment_names_real_silo_settings_and_the_pod_variables_of_Kubernetes_hosting(string overlay)
    {
        var silo = Container(Render(overlay), "StatefulSet", "silo");
        var environment = silo["env"]!.AsArray().Select(e => e!.AsObject()).ToList();

        var settingNames = environment.Select(e => (string)e["name"]!).Where(n => n.StartsWith(SiloSettingVariables.Prefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(settingNames);
        foreach (var name in settingNames)
            Assert.True(SiloSettingVariables.IsSetting(name), $"{name} in {overlay} is no silo setting");

        Assert.Equal("true", Value(silo, "ORLEANS_GAN_Silo__Kubernetes"));
        Assert.Equal("redis", Value(silo, "ORLEANS_GAN_Silo__Clustering"));
        var fieldPaths = environment.Where(e => e["valueFrom"] is not null)
            .ToDictionary(e => (string)e["name"]!, e => (string)e["valueFrom"]!["fieldRef"]!["fieldPath"]!);
        Assert.Equal(new Dictionary<string, string>
        {
            [KubernetesPod.PodNameVariable] = "metadata.name",
            [KubernetesPod.PodNamespaceVariable] = "metadata.namespace",
            [KubernetesPod.PodIPVariable] = "status.podIP",
            [KubernetesPod.ServiceIdVariable] = "metadata.labels['orleans/serviceId']",
            [KubernetesPod.ClusterIdVariable] = "metadata.labels['orleans/clusterId']",
        }, fieldPaths);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Readiness_and_Prometheus_reach_the_silos_HTTP_endpoint(string overlay)
    {
        var objects = Render(overlay);
        var template = Find(objects, "StatefulSet", "silo")["spec"]!["template"]!;
        var silo = Container(objects, "StatefulSet", "silo");
        var http = new Uri(Value(silo, "ORLEANS_GAN_Silo__HttpUrl"));
        Assert.Equal("0.0.0.0", http.Host);

        var probe = silo["readinessProbe"]!["httpGet"]!;
        Assert.Equal("/healthz", (string)probe["path"]!);
        Assert.Equal($"{http.Port}", ContainerPort(silo, (string)probe["port"]!));

        var annotations = template["metadata"]!["annotations"]!;
        Assert.Equal("true", (string)annotations["prometheus.io/scrape"]!);
        Assert.Equal($"{http.Port}", (string)annotations["prometheus.io/port"]!);
        Assert.Equal("/metrics", (string)annotations["prometheus.io/path"]!);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_runs_folder_is_one_volume_every_silo_writes_and_SIGTERM_has_time_to_checkpoint(string overlay)
    {
        var objects = Render(overlay);
        var pod = Find(objects, "StatefulSet", "silo")["spec"]!["template"]!["spec"]!;
        var silo = Container(objects, "StatefulSet", "silo");

        string runs = Value(silo, "ORLEANS_GAN_Silo__RunsDirectory");
        var mount = silo["volumeMounts"]!.AsArray().Single(m => runs.StartsWith((string)m!["mountPath"]! + "/", StringComparison.Ordinal))!;
        var volume = pod["volumes"]!.AsArray().Single(v => (string)v!["name"]! == (string)mount["name"]!)!;
        var claim = Find(objects, "PersistentVolumeClaim", (string)volume["persistentVolumeClaim"]!["claimName"]!);
        Assert.Equal(["ReadWriteMany"], claim["spec"]!["accessModes"]!.AsArray().Select(m => (string)m!));

        // At least one step deadline (SiloSettings' default), the longest a silo waits for the step in flight.
        Assert.True(int.Parse((string)pod["terminationGracePeriodSeconds"]!) >= 120);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_silos_may_do_what_Orleans_Kubernetes_hosting_asks_of_the_API_server(string overlay)
    {
        var objects = Render(overlay);
        var pod = Find(objects, "StatefulSet", "silo")["spec"]!["template"]!;
        var labels = pod["metadata"]!["labels"]!;
        Assert.NotNull(labels["orleans/serviceId"]);
        Assert.NotNull(labels["orleans/clusterId"]);

        string account = (string)pod["spec"]!["serviceAccountName"]!;
        var binding = Find(objects, "RoleBinding", account);
        Assert.Contains(binding["subjects"]!.AsArray(), s => (string)s!["kind"]! == "ServiceAccount" && (string)s["name"]! == account
            && (string)s["namespace"]! == (string)Find(objects, "StatefulSet", "silo")["metadata"]!["namespace"]!);
        var role = Find(objects, "Role", (string)binding["roleRef"]!["name"]!);
        var rule = role["rules"]!.AsArray().Single(r => r!["resources"]!.AsArray().Any(x => (string)x! == "pods"))!;
        Assert.Equal(["get", "list", "patch", "watch"], rule["verbs"]!.AsArray().Select(v => (string)v!).Order());
    }

    [Theory]
    [InlineData("cpu", "orleans-gan-silo:latest", "cpu", null)]
    [InlineData("gpu", "orleans-gan-silo-gpu:latest", "auto", "1")]
    public void Each_overlay_runs_its_image_on_its_device(string overlay, string image, string device, string? gpus)
    {
        var silo = Container(Render(overlay), "StatefulSet", "silo");

        Assert.Equal(image, (string)silo["image"]!);
        Assert.Equal(["--device", device], silo["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(gpus, (string?)silo["resources"]!["limits"]?["nvidia.com/gpu"]);
        Assert.Equal(gpus, (string?)silo["resources"]!["requests"]!["nvidia.com/gpu"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_training_Job_finds_the_silos_through_their_Redis(string overlay)
    {
        var objects = Render(overlay);
        var train = Container(objects, "Job", "train");

        Assert.Equal("orleans-gan-client:latest", (string)train["image"]!);
        Assert.Equal("train", (string)train["args"]![0]!);
        Assert.DoesNotContain("--detach", train["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(Value(Container(objects, "StatefulSet", "silo"), "ORLEANS_GAN_Silo__Redis"), Value(train, "ORLEANS_GAN_REDIS"));
        var redis = Find(objects, "Service", "redis");
        Assert.Equal("6379", (string)redis["spec"]!["ports"]![0]!["port"]!);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_dashboard_ConfigMap_is_the_dashboard_that_compose_provisions(string overlay)
    {
        var configMap = Find(Render(overlay), "ConfigMap", "grafana-dashboard-orleans-gan");

        Assert.Equal("1", (string)configMap["metadata"]!["labels"]!["grafana_dashboard"]!);
        Assert.Equal(File.ReadAllText(Path.Combine(Binaries.Root, "deploy", "grafana", "dashboards", "orleans-gan.json")),
            (string)configMap["data"]!["orleans-gan.json"]!);
    }

    /// <summary><c>kubectl kustomize deploy/k8s/overlays/OVERLAY</c>, each object as JSON (every scalar a string).</summary>
    private static List<JsonObject> Render(string overlay)
    {
        var start = new ProcessStartInfo(InstalledTool.Require("/usr/bin/kubectl", "kubectl"), ["kustomize", Path.Combine(K8s, "overlays", overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kubectl = Process.Start(start)!;
        var errors = kubectl.StandardError.ReadToEndAsync();
        string yaml = kubectl.StandardOutput.ReadToEnd();
        kubectl.WaitForExit();
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize overlays/{overlay} exited {kubectl.ExitCode}: {errors.Result}");

        var parser = new Parser(new StringReader(yaml));
        var deserializer = new DeserializerBuilder().Build();
        var json = new SerializerBuilder().JsonCompatible().Build();
        var objects = new List<JsonObject>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
            objects.Add(JsonNode.Parse(json.Serialize(deserializer.Deserialize(parser)))!.AsObject());
        return objects;
    }

    private static JsonObject Find(List<JsonObject> objects, string kind, string name) =>
        objects.SingleOrDefault(o => (string)o["kind"]! == kind && (string)o["metadata"]!["name"]! == name)
            ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name} among {string.Join(", ", objects.Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}"))}");

    private static JsonObject Container(List<JsonObject> objects, string kind, string name) =>
        Find(objects, kind, name)["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!.AsObject();

    private static string Value(JsonObject container, string variable) =>
        (string)container["env"]!.AsArray().Single(e => (string)e!["name"]! == variable)!["value"]!;

    private static string ContainerPort(JsonObject container, string name) =>
        (string)container["ports"]!.AsArray().Single(p => (string)p!["name"]! == name)!["containerPort"]!;
}
