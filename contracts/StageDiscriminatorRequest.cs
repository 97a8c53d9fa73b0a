namespace Orleans.Gan.Contracts;

/// <summary>
/// Phase 1 of a step for the workers <paramref name="Workers"/> of one silo. The stage first gathers the slices of G
/// that the last step's G step made and it does not hold (<paramref name="GeneratorSlices"/>; none right after a seed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StageDiscriminatorRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int BatchInEpoch,
    [property: Id(3)] int[] Workers,
    [property: Id(4)] GradientPrecision Precision,
    [property: Id(5)] long LayoutVersion,
    [property: Id(6)] SliceOffer[] GeneratorSlices);
