namespace Orleans.Gan.Data;

/// <summary>Splits a list of items into contiguous shards whose sizes differ by at most one.</summary>
public static class ShardSplitter
{
    /// <summary>
    /// The slice of shard <paramref name="shardIndex"/> when <paramref name="count"/> items are split into
    /// <paramref name="shardCount"/> shards; the first count % shardCount shards get one item more.
    /// </summary>
    public static ShardRange Slice(int count, int shardCount, int shardIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shardIndex, shardCount);

        int baseSize = count / shardCount;
        int remainder = count % shardCount;
        int start = shardIndex * baseSize + Math.Min(shardIndex, remainder);
        int size = baseSize + (shardIndex < remainder ? 1 : 0);
        return new ShardRange(start, size);
    }
}
