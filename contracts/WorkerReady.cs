namespace Orleans.Gan.Contracts;

/// <summary>A prepared worker: its data shard, and the device its replica's tensors are on, as torch names it.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerReady(
    [property: Id(0)] ShardInfo Shard,
    [property: Id(1)] string Device);
