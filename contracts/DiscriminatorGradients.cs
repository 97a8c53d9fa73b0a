namespace Orleans.Gan.Contracts;

/// <summary>A worker's answer to phase 1: D's gradients on its batch, as float32 bytes.</summary>
[GenerateSerializer, Immutable]
public sealed record DiscriminatorGradients(
    [property: Id(0)] long Step,
    [property: Id(1)] int Worker,
    [property: Id(2)] byte[] Gradients,
    [property: Id(3)] WorkerTiming Timing);
