namespace Orleans.Gan.Contracts;

/// <summary>A worker's place in a run: its index (which fixes its random streams), the shard it reads and the device its replica and batches live on.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerAssignment(
    [property: Id(0)] RunSettings Settings,
    [property: Id(1)] int WorkerIndex,
    [property: Id(2)] string ShardKey,
    [property: Id(3)] ShardAssignment Shard,
    [property: Id(4)] string Device = "cpu");
