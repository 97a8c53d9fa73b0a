namespace Orleans.Gan.Contracts;

/// <summary>Phase 2 of a step: G's gradients through D after D's averaged update, whose parameters come with it.</summary>
[GenerateSerializer, Immutable]
public sealed record GeneratorPhaseRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] ReadOnlyMemory<float> DiscriminatorParameters);
