using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Steps;

/// <summary>One side's training steps of one model and batch, and the peak memory of the process that ran them.</summary>
public sealed record StepResult(Timings Timings, int ImagesPerStep, long? PeakBytes)
{
    public double ImagesPerSecond => ImagesPerStep / Timings.Median;
}
