using System.Security.Cryptography.X509Certificates;
using Orleans.Gan.Grains.Exchange;

namespace Orleans.Gan.Grains.Hosting;

/// <summary>Where a silo keeps data and runs, how long a step may take before a worker counts as lost, and how its buffers travel.</summary>
public sealed class TrainingHostOptions
{
    /// <summary>Shard caches and generated synthetic faces.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>One folder per run: checkpoints and faces grids.</summary>
    public string RunsDirectory { get; set; } = "runs";

    /// <summary>The deadline of one phase of one step, across all workers.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Checkpoints kept per run; older ones are deleted after a newer one is safely written.</summary>
    public int CheckpointsToKeep { get; set; } = 3;

    /// <summary>How weights and gradient sums travel to other silos.</summary>
    public BulkRoute BulkRoute { get; set; } = BulkRoute.Socket;

    /// <summary>The address other silos fetch this silo's buffers from: the silo's advertised address.</summary>
    public string BulkAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface rather than on <see cref="BulkAddress"/> alone (as the silo's endpoints do for a non-loopback address).</summary>
    public bool BulkListenOnAnyAddress { get; set; }

    /// <summary>The side path's TCP port; 0 takes any free one.</summary>
    public int BulkPort { get; set; }

    /// <summary>The cluster's TLS certificate, if it has one: the side path then runs mutual TLS with it, as Orleans' connections do.</summary>
    public X509Certificate2? ClusterCertificate { get; set; }

    /// <summary>
    /// The devices of the worker slots this silo offers (see <c>DeviceSlots</c>), one worker each before slots are
    /// shared. The first is also where the sampler draws faces.
    /// </summary>
    public IReadOnlyList<string> SlotDevices { get; set; } = ["cpu"];
}
