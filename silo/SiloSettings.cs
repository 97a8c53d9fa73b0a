using System.ComponentModel;

namespace Orleans.Gan.Silo;

/// <summary>
/// A silo's settings, from appsettings.json, then ORLEANS_GAN_-prefixed environment variables (ORLEANS_GAN_Silo__Name),
/// then the command line (--name, --silo-port, … see <see cref="CommandLineSwitches"/>), later ones winning. Each
/// setting's [Description] is what <c>silo --help</c> prints for it (<see cref="SiloCommandLine"/>).
/// </summary>
public sealed class SiloSettings
{
    public const string Section = "Silo";

    [Description("Unique in the cluster: workers and data shards are placed by it.")]
    public string Name { get; set; } = "silo-0";

    [Description("The Orleans cluster id; silos and clients of one cluster share it.")]
    public string ClusterId { get; set; } = "orleans-gan";

    [Description("The Orleans service id; it keys stored state, so keep it across restarts.")]
    public string ServiceId { get; set; } = "orleans-gan";

    [Description("localhost (one machine; the silo on --primary-silo-port is the seed) or redis (many hosts, with --redis).")]
    public string Clustering { get; set; } = "localhost";

    [Description("The StackExchange.Redis connection string, with --clustering redis.")]
    public string? Redis { get; set; }

    [Description("Orleans' Kubernetes hosting: the silo takes its name, address and ids from its pod (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID) and silos whose pods are gone are declared dead. auto (on in a pod that sets POD_NAME or POD_IP), true or false; needs --clustering redis.")]
    public string Kubernetes { get; set; } = "auto";

    [Description("The port silos talk to each other on.")]
    public int SiloPort { get; set; } = 11111;

    [Description("The port clients connect to.")]
    public int GatewayPort { get; set; } = 30000;

    [Description("The silo port of the seed silo in localhost clustering.")]
    public int PrimarySiloPort { get; set; } = 11111;

    [Description("The address other silos and clients reach this one at; loopback unless the silo serves other hosts.")]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Description("The HTTP endpoint for /metrics, /healthz and the faces page; loopback unless configured otherwise.")]
    public string HttpUrl { get; set; } = "http://127.0.0.1:8080";

    [Description("Shard caches and generated synthetic faces.")]
    public string DataDirectory { get; set; } = "data";

    [Description("One folder per run: checkpoints and faces grids.")]
    public string RunsDirectory { get; set; } = "runs";

    [Description("auto (every GPU torch sees, else the CPU), cpu, cuda (every GPU) or cuda:N (one): the silo offers one worker slot per GPU.")]
    public string Device { get; set; } = "auto";

    [Description("Worker slots on a silo that runs on the CPU; its workers share the CPU's torch threads. 1 to 64.")]
    public int CpuSlots { get; set; } = 1;

    [Description("Torch's intra-op threads for the whole process; 0 uses every core.")]
    public int Threads { get; set; }

    [Description("The deadline of one phase of one step, in seconds; also Orleans' response timeout.")]
    public int StepTimeoutSeconds { get; set; } = 120;

    [Description("Membership's probe timeout in seconds, 0.1 to 60: with --missed-probes, how fast a dead silo is declared dead.")]
    public double ProbeTimeoutSeconds { get; set; } = 1;

    [Description("Missed probes, 1 to 10, after which a silo is suspected.")]
    public int MissedProbes { get; set; } = 2;

    [Description("A PKCS#12 file: with it, silo-to-silo and client traffic is mutual TLS, and only holders of the same certificate connect. Its password comes from ORLEANS_GAN_TLS_PASSWORD.")]
    public string? TlsCertificate { get; set; }

    [Description("How weights and gradient sums travel between silos: socket (a TCP connection of their own, near the wire's speed; mutual TLS with the cluster's certificate under --tls-certificate), orleans (inside Orleans' messages, several times slower) or auto (socket).")]
    public string BulkTransfer { get; set; } = "auto";

    [Description("The TCP port of the socket side path, on the advertised address; 0 takes any free port.")]
    public int BulkPort { get; set; }

    [Description("Serve the Orleans Dashboard (silos, grains, calls) at /dashboard on the HTTP endpoint: true or false.")]
    public bool Dashboard { get; set; } = true;

    /// <summary>Command-line switches and the settings they set.</summary>
    public static Dictionary<string, string> CommandLineSwitches { get; } = new()
    {
        ["--name"] = $"{Section}:{nameof(Name)}",
        ["--cluster-id"] = $"{Section}:{nameof(ClusterId)}",
        ["--service-id"] = $"{Section}:{nameof(ServiceId)}",
        ["--clustering"] = $"{Section}:{nameof(Clustering)}",
        ["--redis"] = $"{Section}:{nameof(Redis)}",
        ["--kubernetes"] = $"{Section}:{nameof(Kubernetes)}",
        ["--silo-port"] = $"{Section}:{nameof(SiloPort)}",
        ["--gateway-port"] = $"{Section}:{nameof(GatewayPort)}",
        ["--primary-silo-port"] = $"{Section}:{nameof(PrimarySiloPort)}",
        ["--advertise"] = $"{Section}:{nameof(AdvertisedAddress)}",
        ["--http"] = $"{Section}:{nameof(HttpUrl)}",
        ["--data"] = $"{Section}:{nameof(DataDirectory)}",
        ["--runs"] = $"{Section}:{nameof(RunsDirectory)}",
        ["--device"] = $"{Section}:{nameof(Device)}",
        ["--cpu-slots"] = $"{Section}:{nameof(CpuSlots)}",
        ["--threads"] = $"{Section}:{nameof(Threads)}",
        ["--step-timeout"] = $"{Section}:{nameof(StepTimeoutSeconds)}",
        ["--tls-certificate"] = $"{Section}:{nameof(TlsCertificate)}",
        ["--probe-timeout"] = $"{Section}:{nameof(ProbeTimeoutSeconds)}",
        ["--missed-probes"] = $"{Section}:{nameof(MissedProbes)}",
        ["--bulk-transfer"] = $"{Section}:{nameof(BulkTransfer)}",
        ["--bulk-port"] = $"{Section}:{nameof(BulkPort)}",
        ["--dashboard"] = $"{Section}:{nameof(Dashboard)}",
    };

    /// <summary>
    /// These settings with the name, address and ids that Orleans' Kubernetes hosting gives the silo in
    /// <paramref name="pod"/>, which win over configured ones there: Orleans refuses a silo named otherwise than its pod.
    /// </summary>
    public SiloSettings InPod(KubernetesPod pod)
    {
        (Name, AdvertisedAddress) = (pod.Name, pod.Address);
        (ClusterId, ServiceId) = (pod.ClusterId ?? ClusterId, pod.ServiceId ?? ServiceId);
        return this;
    }

    /// <summary>Throws naming the first setting out of range, before anything starts listening.</summary>
    public SiloSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Contains('@') || Name.Contains('/'))
            throw new ArgumentException($"--name must be a non-empty silo name without '@' or '/', not '{Name}'.");
        foreach (var (port, flag) in new[] { (SiloPort, "--silo-port"), (GatewayPort, "--gateway-port"), (PrimarySiloPort, "--primary-silo-port") })
        {
            if (port is < 1 or > 65535)
                throw new ArgumentException($"{flag} must be a port from 1 to 65535, not {port}.");
        }
        if (Clustering is not ("localhost" or "redis"))
            throw new ArgumentException($"--clustering must be 'localhost' or 'redis', not '{Clustering}'.");
        if (Clustering == "redis" && string.IsNullOrWhiteSpace(Redis))
            throw new ArgumentException("--clustering redis needs --redis with a connection string.");
        if (Kubernetes is not ("auto" or "true" or "false"))
            throw new ArgumentException($"--kubernetes must be auto, true or false, not '{Kubernetes}'.");
        if (Core.Runtime.DeviceSlots.Validate(Device) is { } badDevice)
            throw new ArgumentException(badDevice);
        if (CpuSlots is < 1 or > 64)
            throw new ArgumentException($"--cpu-slots must be from 1 to 64, not {CpuSlots}.");
        if (Threads < 0)
            throw new ArgumentException($"--threads must be 0 (every core) or more, not {Threads}.");
        if (TlsCertificate is not null && !File.Exists(TlsCertificate))
            throw new ArgumentException($"--tls-certificate '{TlsCertificate}' does not exist.");
        if (ProbeTimeoutSeconds is < 0.1 or > 60)
            throw new ArgumentException($"--probe-timeout must be from 0.1 to 60 seconds, not {ProbeTimeoutSeconds}.");
        if (MissedProbes is < 1 or > 10)
            throw new ArgumentException($"--missed-probes must be from 1 to 10, not {MissedProbes}.");
        if (BulkTransfer is not ("auto" or "socket" or "orleans"))
            throw new ArgumentException($"--bulk-transfer must be auto, socket or orleans, not '{BulkTransfer}'.");
        if (BulkPort is < 0 or > 65535)
            throw new ArgumentException($"--bulk-port must be 0 (any free port) or a port up to 65535, not {BulkPort}.");
        if (StepTimeoutSeconds < 1)
            throw new ArgumentException($"--step-timeout must be at least 1 second, not {StepTimeoutSeconds}.");
        return this;
    }
}
