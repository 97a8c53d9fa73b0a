namespace Orleans.Gan.Contracts;

/// <summary>
/// A worker's answer to phase 2: G's gradients, both networks' batch-norm statistics after the step (averaged by the
/// coordinator, as DDP broadcasts buffers), and the step's metrics on this worker's batch.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GeneratorGradients(
    [property: Id(0)] long Step,
    [property: Id(1)] int Worker,
    [property: Id(2)] byte[] Gradients,
    [property: Id(3)] byte[] GeneratorStatistics,
    [property: Id(4)] byte[] DiscriminatorStatistics,
    [property: Id(5)] TrainingMetrics Metrics,
    [property: Id(6)] WorkerTiming Timing);
