namespace Orleans.Gan.Contracts;

/// <summary>
/// Where the newest step's time went, along its critical path (see the metric gan_step_phase_duration_seconds), and
/// how many bytes the busiest silo sent and received in it.
/// </summary>
/// <param name="BusiestSiloBytes">The most any one silo sent plus received: its slices of the other silos' gradient sums, its sums' slices fetched by their holders, and new slices of weights either way.</param>
[GenerateSerializer, Immutable]
public sealed record StepBreakdown(
    [property: Id(0)] double DataWaitSeconds,
    [property: Id(1)] double ComputeSeconds,
    [property: Id(2)] double ExchangeSeconds,
    [property: Id(3)] double OptimizerSeconds,
    [property: Id(4)] long BusiestSiloBytes);
