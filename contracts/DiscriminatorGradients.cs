namespace Orleans.Gan.Contracts;

/// <summary>
/// A worker's answer to phase 1: D's gradients on its batch, in the run's gradient precision. The bytes are the worker's
/// own buffer, reused every step: its silo stage adds them up before the worker is asked for anything else.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DiscriminatorGradients(
    [property: Id(0)] long Step,
    [property: Id(1)] int Worker,
    [property: Id(2)] ReadOnlyMemory<byte> Gradients,
    [property: Id(3)] WorkerTiming Timing);
