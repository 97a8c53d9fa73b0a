namespace Orleans.Gan.Contracts;

/// <summary>Phase 2 of a step for the workers <paramref name="Workers"/> of one silo, through the updated D that <paramref name="DiscriminatorParameters"/> offers.</summary>
[GenerateSerializer, Immutable]
public sealed record StageGeneratorRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] BulkTicket DiscriminatorParameters,
    [property: Id(2)] int[] Workers,
    [property: Id(3)] GradientPrecision Precision);
