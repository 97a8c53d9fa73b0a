namespace Orleans.Gan.Contracts;

/// <summary>A sample-quality score: the sliced Wasserstein distance x10³ per pyramid level (finest first) and their mean.</summary>
[GenerateSerializer, Immutable]
public sealed record QualityScore(
    [property: Id(0)] long Step,
    [property: Id(1)] double Average,
    [property: Id(2)] IReadOnlyList<double> Levels,
    [property: Id(3)] IReadOnlyList<int> LevelSizes);
