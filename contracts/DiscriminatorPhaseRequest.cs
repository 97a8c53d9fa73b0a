namespace Orleans.Gan.Contracts;

/// <summary>
/// Phase 1 of a step for one worker: load the step's weights, the generator set (G's parameters, then G's and D's
/// batch-norm statistics) and D's parameters, all float32, and train D on this worker's batch number
/// <paramref name="BatchInEpoch"/> of the epoch. Both buffers are the silo stage's verified copies, handed over by reference.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DiscriminatorPhaseRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int BatchInEpoch,
    [property: Id(3)] ReadOnlyMemory<byte> GeneratorSet,
    [property: Id(4)] ReadOnlyMemory<byte> DiscriminatorParameters);
