namespace Orleans.Gan.Contracts;

/// <summary>
/// Owns one contiguous slice of the training partition on one silo: preprocesses it once into a cache file there,
/// then serves batches in an order shuffled per epoch from the run's seed.
/// </summary>
public interface IDataShardGrain : IGrainWithStringKey
{
    Task<ShardInfo> Prepare(ShardAssignment assignment);

    /// <summary>Batch number <paramref name="batchInEpoch"/> of <paramref name="epoch"/>'s shuffled order.</summary>
    Task<ImageBatch> GetBatch(int epoch, int batchInEpoch, int batchSize);
}
