namespace Orleans.Gan.Contracts;

/// <summary>One point of a run's loss curves, for the faces page.</summary>
[GenerateSerializer, Immutable]
public sealed record LossPoint(
    [property: Id(0)] long Step,
    [property: Id(1)] double LossD,
    [property: Id(2)] double LossG);
