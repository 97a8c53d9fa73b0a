namespace Orleans.Gan.Contracts;

/// <summary>One step's Loss_D, Loss_G, D(x) and D(G(z)) before and after D's update, averaged over the workers.</summary>
[GenerateSerializer, Immutable]
public sealed record TrainingMetrics(
    [property: Id(0)] double LossD,
    [property: Id(1)] double LossG,
    [property: Id(2)] double RealScore,
    [property: Id(3)] double FakeScoreBeforeD,
    [property: Id(4)] double FakeScoreAfterD);
