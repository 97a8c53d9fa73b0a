namespace Orleans.Gan.Data;

/// <summary>The state of a cache file found on disk.</summary>
public enum ShardCacheStatus
{
    Valid,
    Missing,
    Stale,
    Corrupt,
}
