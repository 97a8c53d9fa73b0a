namespace Orleans.Gan.Contracts;

/// <summary>What a silo's stage holds of a run's master: the layout it was seeded with and the steps it has finished.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardDescription([property: Id(0)] MasterLayout Layout, [property: Id(1)] long Step);
