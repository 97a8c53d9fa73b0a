using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Bench;

/// <summary>
/// What one benchmark run measures and how often. The full run stays under about 10 minutes on 2 cores; <c>--quick</c>
/// only checks that every part works, on batches of 16.
/// </summary>
/// <param name="Threads">Torch threads of our in-process step and of the PyTorch script; the cluster splits them over silos.</param>
/// <param name="Device">cpu or cuda, for the single-process steps.</param>
/// <param name="Python">The interpreter with torch: Debian's python3-torch by default.</param>
/// <param name="WorkDirectory">Synthetic faces and shard caches (kept between runs), the cluster's runs and the results.</param>
/// <param name="SimulateComputeMs">What the scaling part's workers wait per phase instead of computing: a GPU's step.</param>
/// <param name="ChosenBatches">The single-process batches asked for with --batch; none takes the defaults.</param>
public sealed record BenchSettings(
    bool Quick,
    int Threads,
    string Device,
    string Python,
    string WorkDirectory,
    IReadOnlySet<BenchPart> Parts,
    bool Markdown,
    int SimulateComputeMs,
    IReadOnlyList<int> ChosenBatches)
{
    /// <summary>Steps run and thrown away before measuring: the first one pays for JIT, allocator growth and oneDNN's kernels.</summary>
    public int WarmupSteps => 1;

    /// <summary>Steps whose median is reported.</summary>
    public int MeasuredSteps => Quick ? 2 : 6;

    public IReadOnlyList<GanArchitecture> Models { get; } = [GanArchitecture.Dcgan64, GanArchitecture.Tutorial28];

    public IReadOnlyList<int> Batches => ChosenBatches.Count > 0 ? ChosenBatches : Quick ? [16] : [64, 128];

    /// <summary>The cluster comparison's global batch: the largest single-process batch, split over the workers.</summary>
    public int ClusterBatch => Batches[^1];

    /// <summary>Repeats of the cheap measurements: copies, bandwidths, exchanges, batches.</summary>
    public int Repeats => Quick ? 3 : 20;

    /// <summary>Steps trained with each gradient precision before comparing the weights.</summary>
    public int PrecisionSteps => Quick ? 2 : 6;

    /// <summary>Faces of the synthetic data set the data pipeline and the cluster read (as the demo trains on).</summary>
    public int SyntheticFaces => 2048;

    public string DataDirectory => Path.Combine(WorkDirectory, "data");

    /// <summary>Silo processes of the scaling part.</summary>
    public IReadOnlyList<int> ScalingSilos => Quick ? [1, 2] : [1, 2, 4];

    /// <summary>Workers of the scaling part, spread over the silos.</summary>
    public IReadOnlyList<int> ScalingWorkers => Quick ? [1, 2, 4] : [1, 2, 4, 8];

    /// <summary>Images per worker in the exchange and scaling parts: only the data shards see them, no network does.</summary>
    public int SimulatedBatch => 64;

    public bool Runs(BenchPart part) => Parts.Contains(part);
}
