namespace Orleans.Gan.Data;

/// <summary>What a shard cache was built from; a cache whose key differs from the one wanted is stale.</summary>
public sealed record ShardCacheKey(
    string SourceFingerprint, DataPartition Partition, int ShardIndex, int ShardCount, int ImageSize)
{
    /// <summary>
    /// The cache file name. The fingerprint is left out on purpose, so a changed data set overwrites its old cache
    /// instead of leaving it behind.
    /// </summary>
    public string FileName =>
        $"celeba-{Partition.ToString().ToLowerInvariant()}-{ImageSize}px-shard{ShardIndex}of{ShardCount}.ogancache";
}
