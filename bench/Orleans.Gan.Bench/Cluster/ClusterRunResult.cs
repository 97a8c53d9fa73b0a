using Orleans.Gan.Bench.Steps;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>
/// A training run's steps on a cluster of silo processes, each measured step's phases and bytes, and each silo's peak
/// memory: after the measured steps, and at the end, after the last step's sample score, grid and checkpoint.
/// </summary>
public sealed record ClusterRunResult(StepResult Steps, IReadOnlyList<long?> SiloPeakBytes, IReadOnlyList<StepBreakdown> Breakdowns,
    IReadOnlyList<long?> SiloPeakBytesAtEnd)
{
    public double MedianExchangeSeconds => new Measurement.Timings([.. Breakdowns.Select(b => b.ExchangeSeconds)]).Median;

    public double MedianOptimizerSeconds => new Measurement.Timings([.. Breakdowns.Select(b => b.OptimizerSeconds)]).Median;

    public long MedianBusiestSiloBytes => (long)new Measurement.Timings([.. Breakdowns.Select(b => (double)b.BusiestSiloBytes)]).Median;
}
