using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Telemetry;

namespace Orleans.Gan.Grains.Training;

/// <summary>What a step across the cluster gave: the workers' mean metrics, where its time went, and the bytes it moved between silos: the busiest silo's (sent plus received) and all of them.</summary>
public sealed record StepTaken(TrainingMetrics Metrics, StepPhases Phases, long BusiestSiloBytes, long TotalBytes);
