using Orleans.Gan.Bench.Steps;

namespace Orleans.Gan.Bench.Report;

/// <summary>One way of training the cluster comparison's global batch, and the peak memory of each process it used.</summary>
public sealed record ClusterCase(string Setup, StepResult Result, IReadOnlyList<long?> PeakBytesPerProcess);
