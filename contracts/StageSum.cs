namespace Orleans.Gan.Contracts;

/// <summary>
/// One silo's answer to a phase: the sum of its workers' gradients, offered slice by slice for the slices' holders to
/// fetch, and what the coordinator needs of each worker besides.
/// </summary>
/// <param name="Silo">The silo whose workers these are.</param>
/// <param name="Workers">The workers summed, in the order they were asked for.</param>
/// <param name="Slices">The sum, one offer per slice of the master's layout: in the run's gradient precision when it is one worker's buffer as sent, float32 when several were added.</param>
/// <param name="Precision">The precision of the offered sum.</param>
/// <param name="Statistics">Phase 2 only: the float32 sum of the workers' batch-norm statistics, G's then D's; a few kB.</param>
/// <param name="Metrics">Phase 2 only: each worker's metrics, in <paramref name="Workers"/> order.</param>
/// <param name="Timings">Each worker's data wait and compute, in <paramref name="Workers"/> order.</param>
[GenerateSerializer, Immutable]
public sealed record StageSum(
    [property: Id(0)] long Step,
    [property: Id(1)] int[] Workers,
    [property: Id(2)] BulkTicket[] Slices,
    [property: Id(3)] GradientPrecision Precision,
    [property: Id(4)] byte[] Statistics,
    [property: Id(5)] TrainingMetrics[] Metrics,
    [property: Id(6)] WorkerTiming[] Timings,
    [property: Id(7)] string Silo);
