namespace Orleans.Gan.Contracts;

/// <summary>Phase 1 of a step: train D on this worker's batch number <paramref name="BatchInEpoch"/> of the epoch.</summary>
[GenerateSerializer, Immutable]
public sealed record DiscriminatorPhaseRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int BatchInEpoch,
    [property: Id(3)] WeightSet Weights);
