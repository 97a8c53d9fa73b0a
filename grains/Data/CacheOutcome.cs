namespace Orleans.Gan.Data;

/// <summary>How a shard's pixels were obtained when it was opened.</summary>
public enum CacheOutcome
{
    /// <summary>No cache file existed; the JPEGs were decoded and a cache written.</summary>
    Built,

    /// <summary>A valid cache file was read; no JPEG was decoded.</summary>
    Reused,

    /// <summary>The cache file was stale or corrupt; the JPEGs were decoded and the cache replaced.</summary>
    Rebuilt,
}
