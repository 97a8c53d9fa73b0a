namespace Orleans.Gan.Data;

/// <summary>The result of trying to load a cache file: the cache when Valid, otherwise why it cannot be used.</summary>
public sealed record ShardCacheLoad(ShardCacheStatus Status, ShardCache? Cache, string Message);
