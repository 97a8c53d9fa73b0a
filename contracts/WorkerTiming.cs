namespace Orleans.Gan.Contracts;

/// <summary>
/// Where one worker's time in one phase went. The coordinator subtracts it from the phase's wall time to tell the
/// exchange (serialisation and network) apart from the work.
/// </summary>
/// <param name="DataWaitSeconds">Waiting for the batch from the data shard.</param>
/// <param name="ComputeSeconds">Writing the weights in, forward, backward and reading the gradients out.</param>
[GenerateSerializer, Immutable]
public sealed record WorkerTiming(
    [property: Id(0)] double DataWaitSeconds,
    [property: Id(1)] double ComputeSeconds);
