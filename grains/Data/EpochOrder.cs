namespace Orleans.Gan.Data;

/// <summary>
/// The order in which one shard visits its images during one epoch: a shuffle that depends only on
/// (seed, epoch, shard), so a restarted or relocated shard replays exactly the same batches.
/// </summary>
public sealed class EpochOrder
{
    private readonly int[] _permutation;

    public EpochOrder(int count, int seed, int epoch, int shardIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);

        Seed = seed;
        Epoch = epoch;
        ShardIndex = shardIndex;
        _permutation = new int[count];
        for (int i = 0; i < count; i++)
        {
            _permutation[i] = i;
        }

        // Seeded System.Random keeps its legacy algorithm for an explicit seed, so the shuffle is stable across
        // runs and .NET versions; HashCode.Combine is not (it is randomised per process).
        var random = new Random(StableSeed.Combine(seed, epoch, shardIndex));
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
        }
    }

    public int Seed { get; }

    public int Epoch { get; }

    public int ShardIndex { get; }

    public int Count => _permutation.Length;

    /// <summary>Every index 0..Count-1 exactly once, in this epoch's order.</summary>
    public ReadOnlySpan<int> Permutation => _permutation;

    /// <summary>Full batches only: the last partial batch is dropped, as DataLoader(drop_last=True) does.</summary>
    public int BatchCount(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Count / batchSize;
    }

    /// <summary>The shard-local image indices of batch <paramref name="batchIndex"/>.</summary>
    public ReadOnlySpan<int> Batch(int batchIndex, int batchSize)
    {
        int batchCount = BatchCount(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchIndex, batchCount);
        return _permutation.AsSpan(batchIndex * batchSize, batchSize);
    }
}
