namespace Orleans.Gan.Contracts;

/// <summary>
/// Phase 1 of a step for one worker: load the step's weights, the generator set (G's parameters, then G's and D's
/// batch-norm statistics) and D's parameters, all float32, and train D on this worker's batch number
/// <paramref name="BatchInEpoch"/> of the epoch. Both buffers are the silo stage's master, handed over by reference: a worker
/// on the CPU reads them in place, and neither changes while a worker computes.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DiscriminatorPhaseRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int BatchInEpoch,
    [property: Id(3)] ReadOnlyMemory<float> GeneratorSet,
    [property: Id(4)] ReadOnlyMemory<float> DiscriminatorParameters);
