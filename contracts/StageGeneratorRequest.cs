namespace Orleans.Gan.Contracts;

/// <summary>
/// Phase 2 of a step for the workers <paramref name="Workers"/> of one silo, through the updated D: the stage first
/// gathers the slices of it that it does not hold (<paramref name="DiscriminatorSlices"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StageGeneratorRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] int[] Workers,
    [property: Id(2)] GradientPrecision Precision,
    [property: Id(3)] long LayoutVersion,
    [property: Id(4)] SliceOffer[] DiscriminatorSlices);
