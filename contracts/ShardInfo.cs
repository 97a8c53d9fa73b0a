namespace Orleans.Gan.Contracts;

/// <summary>A prepared shard: how many images it serves and which files it skipped, with the reason for each.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardInfo(
    [property: Id(0)] int ShardIndex,
    [property: Id(1)] int Images,
    [property: Id(2)] IReadOnlyList<string> SkippedFiles,
    [property: Id(3)] string Silo);
