using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Telemetry;

/// <summary>
/// One step's wall time split by phase along its critical path: the slowest worker's data wait and compute, the
/// coordinator's averaging and Adam steps, and what is left of each fan-out, which is the exchange (serialisation,
/// network and waiting for the slowest reply).
/// </summary>
public readonly record struct StepPhases(TimeSpan DataWait, TimeSpan Compute, TimeSpan Exchange, TimeSpan Optimizer)
{
    public static StepPhases Split(
        TimeSpan discriminatorFanOut, IEnumerable<WorkerTiming> discriminatorWork,
        TimeSpan generatorFanOut, IEnumerable<WorkerTiming> generatorWork,
        TimeSpan optimizer)
    {
        var (dWait, dCompute) = Slowest(discriminatorWork);
        var (gWait, gCompute) = Slowest(generatorWork);
        var exchange = Positive(discriminatorFanOut - dWait - dCompute) + Positive(generatorFanOut - gWait - gCompute);
        return new StepPhases(dWait + gWait, dCompute + gCompute, exchange, optimizer);
    }

    /// <summary>The worker that finished last sets the pace; its split is the one on the critical path.</summary>
    private static (TimeSpan Wait, TimeSpan Compute) Slowest(IEnumerable<WorkerTiming> timings)
    {
        var slowest = timings.MaxBy(t => t.DataWaitSeconds + t.ComputeSeconds);
        return slowest is null ? default : (TimeSpan.FromSeconds(slowest.DataWaitSeconds), TimeSpan.FromSeconds(slowest.ComputeSeconds));
    }

    // Clocks of different processes: a worker may measure a hair more than the coordinator saw.
    private static TimeSpan Positive(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}
