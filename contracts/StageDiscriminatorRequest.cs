namespace Orleans.Gan.Contracts;

/// <summary>
/// Phase 1 of a step for the workers <paramref name="Workers"/> of one silo, on the generator set and D's parameters
/// the two tickets offer. D's parameters are those the previous step's phase 2 offered: a stage that fetched them then
/// does not fetch them again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StageDiscriminatorRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int BatchInEpoch,
    [property: Id(3)] BulkTicket GeneratorSet,
    [property: Id(4)] BulkTicket DiscriminatorParameters,
    [property: Id(5)] int[] Workers,
    [property: Id(6)] GradientPrecision Precision);
