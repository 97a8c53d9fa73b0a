namespace Orleans.Gan.Contracts;

/// <summary>
/// A worker's answer to phase 2: G's gradients, both networks' batch-norm statistics after the step (G's then D's,
/// averaged by the coordinator, as DDP broadcasts buffers), and the step's metrics on this worker's batch. The buffers
/// are the worker's own, as in <see cref="DiscriminatorGradients"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GeneratorGradients(
    [property: Id(0)] long Step,
    [property: Id(1)] int Worker,
    [property: Id(2)] ReadOnlyMemory<byte> Gradients,
    [property: Id(3)] ReadOnlyMemory<byte> Statistics,
    [property: Id(4)] TrainingMetrics Metrics,
    [property: Id(5)] WorkerTiming Timing);
