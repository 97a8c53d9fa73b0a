using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Telemetry;

namespace Orleans.Gan.Grains.Training;

/// <summary>What a step across the cluster gave: the workers' mean metrics, where its time went, and the bytes that crossed this silo's boundary.</summary>
public sealed record StepTaken(TrainingMetrics Metrics, StepPhases Phases, long BytesSent, long BytesReceived);
