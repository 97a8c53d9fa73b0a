namespace Orleans.Gan.Contracts;

/// <summary>What <c>client status</c> and the progress bar of <c>client train</c> show.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps the run will take in all, once known.</param>
/// <param name="ImagesPerSecond">Real images consumed per second over the last steps, all workers together.</param>
/// <param name="LatestGrid">The path of the newest faces grid on the coordinator's silo, if one was written.</param>
/// <param name="Message">Why a run failed, or what it is preparing.</param>
/// <param name="Quality">The newest sample-quality score of G_ema (of G where the run keeps no G_ema): SWD x10³ against held-out images, lower is better.</param>
/// <param name="RawQuality">The same score of G itself, taken at the same steps.</param>
/// <param name="LastStep">Where the newest step's time went, and the bytes it moved through the coordinator's silo.</param>
/// <param name="Placement">Worker i's silo and device at index i, as of the newest step (kept once the run ended); null where not placed.</param>
[GenerateSerializer, Immutable]
public sealed record RunStatus(
    [property: Id(0)] string Run,
    [property: Id(1)] RunPhase Phase,
    [property: Id(2)] long Step,
    [property: Id(3)] long TotalSteps,
    [property: Id(4)] int Epoch,
    [property: Id(5)] int Epochs,
    [property: Id(6)] TrainingMetrics? Metrics,
    [property: Id(7)] double ImagesPerSecond,
    [property: Id(8)] int ActiveWorkers,
    [property: Id(9)] int TargetWorkers,
    [property: Id(10)] int SkippedFiles,
    [property: Id(11)] string? LatestGrid,
    [property: Id(12)] string? Message,
    [property: Id(13)] QualityScore? Quality = null,
    [property: Id(14)] StepBreakdown? LastStep = null,
    [property: Id(15)] IReadOnlyList<WorkerSlot?>? Placement = null,
    [property: Id(16)] QualityScore? RawQuality = null)
{
    public static RunStatus Unknown(string run) => new(run, RunPhase.Unknown, 0, 0, 0, 0, null, 0, 0, 0, 0, null, null);

    public bool IsActive => Phase is RunPhase.Preparing or RunPhase.Training;
}
