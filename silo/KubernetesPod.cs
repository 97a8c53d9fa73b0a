using System.Net;

namespace Orleans.Gan.Silo;

/// <summary>
/// The pod a silo runs in, read from the environment variables that Orleans' Kubernetes hosting
/// (<c>UseKubernetesHosting</c>, Microsoft.Orleans.Hosting.Kubernetes) reads. That hosting names the silo after the pod,
/// advertises the pod's IP and takes the cluster and service ids from ORLEANS_CLUSTER_ID and ORLEANS_SERVICE_ID when
/// they are set; the silo's own uses of these values (worker placement by name, the bulk port's address, /healthz)
/// must agree with Orleans' (<see cref="SiloSettings.InPod"/>). Plain .NET, so that it is tested without a cluster.
/// </summary>
public sealed record KubernetesPod(string Name, string Namespace, string Address, string? ClusterId, string? ServiceId)
{
    // The names Orleans.Hosting.Kubernetes 10.4.2 reads (KubernetesHostingOptions' *EnvironmentVariable constants).
    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string PodIPVariable = "POD_IP";
    public const string ClusterIdVariable = "ORLEANS_CLUSTER_ID";
    public const string ServiceIdVariable = "ORLEANS_SERVICE_ID";

    /// <summary>Set by the kubelet in every container; where it is missing, the silo is not in a pod.</summary>
    public const string ServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    /// <summary>Where Orleans' Kubernetes client finds the pod's credentials to reach the API server (its in-cluster configuration).</summary>
    public const string ServiceAccountTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>
    /// The pod of a silo started with <c>--kubernetes <paramref name="mode"/></c> and <c>--clustering
    /// <paramref name="clustering"/></c>, or null when Kubernetes hosting is off: <c>false</c>, or <c>auto</c> outside a
    /// pod. Auto takes a pod to be one whose manifest meant it, with POD_NAME or POD_IP beside KUBERNETES_SERVICE_HOST,
    /// so that a plain container on Kubernetes still runs as before. The ids are null where the pod does not set them.
    /// </summary>
    /// <param name="fileExists">Whether a file exists (<see cref="File.Exists"/>): the service account token is looked for.</param>
    /// <exception cref="ArgumentException">Hosting is on but the pod's variables or token are missing or wrong, or the
    /// clustering is not Redis; the message names the flag, variable or file to fix.</exception>
    public static KubernetesPod? Detect(string mode, string clustering, IReadOnlyDictionary<string, string?> environment, Func<string, bool> fileExists)
    {
        string? Variable(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        bool inKubernetes = Variable(ServiceHostVariable) is not null;
        switch (mode)
        {
            case "false":
            case "auto" when !inKubernetes || (Variable(PodNameVariable) is null && Variable(PodIPVariable) is null):
                return null;
            case "true" when !inKubernetes:
                throw new ArgumentException($"--kubernetes true needs a Kubernetes pod, but {ServiceHostVariable} is not set; use --kubernetes auto or false outside one.");
        }
        // Orleans' Kubernetes hosting names and watches silos but keeps no membership: that stays in a table every pod reaches.
        if (clustering != "redis")
            throw new ArgumentException($"--kubernetes hosting (on in a pod unless --kubernetes false) needs --clustering redis, not '{clustering}': "
                + "localhost clustering cannot join silos in other pods.");

        string Required(string name) => Variable(name)
            ?? throw new ArgumentException($"--kubernetes hosting needs {name} in the pod's environment (the downward API sets it; see deploy/k8s/base/silo.yaml).");
        string name = Required(PodNameVariable);
        string podNamespace = Required(PodNamespaceVariable);
        string address = Required(PodIPVariable);
        if (!IPAddress.TryParse(address, out _))
            throw new ArgumentException($"--kubernetes hosting needs {PodIPVariable} to be the pod's IP address (status.podIP), not '{address}'.");
        // Without it Orleans' agent fails the silo's start with a stack trace instead of one line.
        if (!fileExists(ServiceAccountTokenPath))
            throw new ArgumentException($"--kubernetes hosting needs the pod's service account token at {ServiceAccountTokenPath}: "
                + "leave automountServiceAccountToken on for the silo's pods.");
        return new KubernetesPod(name, podNamespace, address, Variable(ClusterIdVariable), Variable(ServiceIdVariable));
    }

    /// <summary>This process's environment, for <see cref="Detect"/>.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
}
