namespace Orleans.Gan.Contracts;

/// <summary>
/// Where the newest step's time went, along its critical path (see the metric gan_step_phase_duration_seconds), and
/// how many bytes crossed the boundary of the coordinator's silo in it.
/// </summary>
/// <param name="ExchangeBytes">Weights and D's parameters fetched by other silos' stages, and their sums fetched back.</param>
[GenerateSerializer, Immutable]
public sealed record StepBreakdown(
    [property: Id(0)] double DataWaitSeconds,
    [property: Id(1)] double ComputeSeconds,
    [property: Id(2)] double ExchangeSeconds,
    [property: Id(3)] double OptimizerSeconds,
    [property: Id(4)] long ExchangeBytes);
