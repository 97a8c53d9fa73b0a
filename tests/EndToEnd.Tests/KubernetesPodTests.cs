using System.Reflection;
using Orleans.Gan.Silo;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// What the silo takes from its pod's environment for Orleans' Kubernetes hosting (<see cref="KubernetesPod"/>), as a
/// function of the variables; then the silo binary refusing a pod it cannot serve with one line and exit code 2.
/// </summary>
public sealed class KubernetesPodTests
{
    private static readonly Dictionary<string, string?> Pod = new()
    {
        ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1",
        ["POD_NAME"] = "silo-1",
        ["POD_NAMESPACE"] = "orleans-gan",
        ["POD_IP"] = "10.244.1.7",
        ["ORLEANS_CLUSTER_ID"] = "blue",
        ["ORLEANS_SERVICE_ID"] = "faces",
    };

    private static Dictionary<string, string?> PodWith(string name, string? value) => new(Pod) { [name] = value };

    private static KubernetesPod? Detect(string mode, IReadOnlyDictionary<string, string?> environment, string clustering = "redis", bool tokenMounted = true) =>
        KubernetesPod.Detect(mode, clustering, environment, path => tokenMounted && path == KubernetesPod.ServiceAccountTokenPath);

    [Theory]
    [InlineData("auto")]
    [InlineData("true")]
    public void In_a_pod_the_silo_takes_the_pods_name_address_and_ids(string mode)
    {
        Assert.Equal(new KubernetesPod("silo-1", "orleans-gan", "10.244.1.7", "blue", "faces"), Detect(mode, Pod));
    }

    [Fact]
    public void Ids_the_pod_does_not_set_are_left_to_the_configured_ones()
    {
        var environment = PodWith("ORLEANS_CLUSTER_ID", null);
        environment.Remove("ORLEANS_SERVICE_ID");

        var pod = Detect("auto", environment)!;

        Assert.Null(pod.ClusterId);
        Assert.Null(pod.ServiceId);
    }

    [Fact]
    public void Auto_is_off_outside_a_pod_and_in_a_pod_whose_manifest_did_not_ask_for_it()
    {
        Assert.Null(Detect("auto", new Dictionary<string, string?>(), clustering: "localhost"));
        Assert.Null(Detect("auto", PodWith("KUBERNETES_SERVICE_HOST", null), clustering: "localhost"));
        Assert.Null(Detect("auto", new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1" }, clustering: "localhost"));
        Assert.Null(Detect("false", Pod, clustering: "localhost"));
    }

    [Theory]
    [InlineData("POD_NAME", null, "needs POD_NAME in the pod's environment")]
    [InlineData("POD_NAMESPACE", " ", "needs POD_NAMESPACE in the pod's environment")]
    [InlineData("POD_IP", null, "needs POD_IP in the pod's environment")]
    [InlineData("POD_IP", "silo-1.silo", "needs POD_IP to be the pod's IP address (status.podIP), not 'silo-1.silo'")]
    public void A_pod_variable_missing_or_wrong_is_named(string variable, string? value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Detect("auto", PodWith(variable, value)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Hosting_outside_a_pod_without_redis_or_without_the_token_is_refused_naming_the_fix()
    {
        Assert.Contains("--kubernetes true needs a Kubernetes pod, but KUBERNETES_SERVICE_HOST is not set",
            Assert.Throws<ArgumentException>(() => Detect("true", PodWith("KUBERNETES_SERVICE_HOST", null))).Message);
        foreach (var mode in new[] { "auto", "true" })
        {
            Assert.Contains("--kubernetes hosting (on in a pod unless --kubernetes false) needs --clustering redis, not 'localhost'",
                Assert.Throws<ArgumentException>(() => Detect(mode, Pod, clustering: "localhost")).Message);
        }
        Assert.Contains($"needs the pod's service account token at {KubernetesPod.ServiceAccountTokenPath}",
            Assert.Throws<ArgumentException>(() => Detect("auto", Pod, tokenMounted: false)).Message);
    }

    [Fact]
    public void The_variables_are_those_that_Orleans_Kubernetes_hosting_reads()
    {
        // The very assembly the silo runs with, from its output folder.
        var options = Assembly.LoadFrom(Path.Combine(Path.GetDirectoryName(Binaries.Silo)!, "Orleans.Hosting.Kubernetes.dll"))
            .GetType("Orleans.Hosting.Kubernetes.KubernetesHostingOptions", throwOnError: true)!;
        string Constant(string name) => (string)options.GetField(name)!.GetRawConstantValue()!;

        Assert.Equal(KubernetesPod.PodNameVariable, Constant("PodNameEnvironmentVariable"));
        Assert.Equal(KubernetesPod.PodNamespaceVariable, Constant("PodNamespaceEnvironmentVariable"));
        Assert.Equal(KubernetesPod.PodIPVariable, Constant("PodIPEnvironmentVariable"));
        Assert.Equal(KubernetesPod.ClusterIdVariable, Constant("ClusterIdEnvironmentVariable"));
        Assert.Equal(KubernetesPod.ServiceIdVariable, Constant("ServiceIdEnvironmentVariable"));
    }

    [Theory]
    [InlineData("--kubernetes maybe", "", "--kubernetes must be auto, true or false, not 'maybe'")]
    [InlineData("--kubernetes true", "", "--kubernetes true needs a Kubernetes pod, but KUBERNETES_SERVICE_HOST is not set")]
    [InlineData("--clustering localhost", "KUBERNETES_SERVICE_HOST=10.96.0.1 POD_NAME=silo-0",
        "--kubernetes hosting (on in a pod unless --kubernetes false) needs --clustering redis, not 'localhost'")]
    [InlineData("--clustering redis --redis 127.0.0.1:1", "KUBERNETES_SERVICE_HOST=10.96.0.1 POD_NAME=silo-0 POD_NAMESPACE=orleans-gan",
        "--kubernetes hosting needs POD_IP in the pod's environment")]
    public async Task The_silo_refuses_a_pod_it_cannot_serve_with_one_line_and_exit_code_2(string flags, string environment, string expected)
    {
        int port = ChildProcess.FreePort();
        // env(1) gives the silo alone the pod's variables, and none from wherever the tests run; it stops before it
        // listens or calls anything.
        var (exitCode, output) = await ChildProcess.Run("env",
            [.. new[] { "KUBERNETES_SERVICE_HOST", "POD_NAME", "POD_NAMESPACE", "POD_IP" }.SelectMany(name => new[] { "-u", name }),
                .. environment.Split(' ', StringSplitOptions.RemoveEmptyEntries), "dotnet", Binaries.Silo, "--http", $"http://127.0.0.1:{port}", .. flags.Split(' ')],
            Path.GetTempPath(), TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{output}");
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output);
    }
}
