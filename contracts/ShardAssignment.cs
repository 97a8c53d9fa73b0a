namespace Orleans.Gan.Contracts;

/// <summary>Which slice of which data set a data-shard grain owns, at what image size.</summary>
/// <param name="Dataset">A CelebA folder or zip as seen from the shard's silo; null for synthetic faces.</param>
[GenerateSerializer, Immutable]
public sealed record ShardAssignment(
    [property: Id(0)] string? Dataset,
    [property: Id(1)] int SyntheticFaces,
    [property: Id(2)] int ShardIndex,
    [property: Id(3)] int ShardCount,
    [property: Id(4)] int ImageSize,
    [property: Id(5)] long Seed);
