using Orleans.Gan.Bench.PyTorch;
using Orleans.Gan.Bench.Steps;

namespace Orleans.Gan.Bench.Report;

/// <summary>
/// One way of training the cluster comparison's global batch, and the peak memory of each process it used: while it
/// trained, and for silos also at the end, after the run's last step has scored its samples and written a checkpoint.
/// </summary>
/// <param name="ExchangeShare">For a cluster run, the median step's exchange phase ÷ the median step.</param>
/// <param name="OptimizerShare">For a cluster run, the median step's optimizer phase (the reduce-scatter with the slices' Adam steps) ÷ the median step.</param>
/// <param name="Ddp">For a PyTorch DDP run, which PyTorch: the table's ratios are to DDP as users run it.</param>
public sealed record ClusterCase(string Setup, StepResult Result, IReadOnlyList<long?> PeakBytesPerProcess, IReadOnlyList<long?>? PeakBytesAtEnd = null,
    double? ExchangeShare = null, double? OptimizerShare = null, PyTorchKernels? Ddp = null);
