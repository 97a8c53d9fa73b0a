namespace Orleans.Gan.Contracts;

/// <summary>The newest generator of a run, for the sampler: its settings fix the architecture.</summary>
[GenerateSerializer, Immutable]
public sealed record GeneratorSnapshot(
    [property: Id(0)] RunSettings Settings,
    [property: Id(1)] long Step,
    [property: Id(2)] byte[] Parameters,
    [property: Id(3)] byte[] Statistics);
