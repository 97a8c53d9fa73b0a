using Orleans.Gan.Bench.Steps;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>A training run's steps on a cluster of silo processes, and each silo's peak memory.</summary>
public sealed record ClusterRunResult(StepResult Steps, IReadOnlyList<long?> SiloPeakBytes);
