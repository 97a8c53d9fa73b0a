using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;
using Orleans.Gan.Grains.Hosting;
using Orleans.Gan.Grains.Placement;

namespace Orleans.Gan.Grains.Data;

/// <summary>
/// One slice of the training partition on the silo its key names. The first <see cref="Prepare"/> decodes the slice
/// into a cache file on that silo's disk (later runs reuse it); batches are then read from that file, which the
/// kernel keeps in its page cache.
/// </summary>
[SiloNamePlacement]
public sealed class DataShardGrain(IOptions<TrainingHostOptions> options, ILogger<DataShardGrain> logger) : Grain, IDataShardGrain
{
    private CelebaShardReader? reader;
    private ShardAssignment? assignment;
    private EpochOrder? order;

    public async Task<ShardInfo> Prepare(ShardAssignment newAssignment)
    {
        if (reader is null || assignment != newAssignment)
        {
            var host = options.Value;
            var dataset = newAssignment.Dataset
                ?? await SyntheticDatasetFolder.EnsureAsync(host.DataDirectory, newAssignment.SyntheticFaces);
            var cache = Path.Combine(host.DataDirectory, "cache");
            CelebaShardReader opened;
            try
            {
                opened = await Task.Run(() => CelebaShardReader.Open(dataset, DataPartition.Train, newAssignment.ShardIndex,
                    newAssignment.ShardCount, newAssignment.ImageSize, cache, line => logger.LogInformation("{Line}", line)));
            }
            catch (DatasetException e)
            {
                // Orleans has no codec for the data library's exceptions: across silos the caller would read "Could
                // not find a codec for type DatasetException" instead of which path is wrong.
                throw new InvalidOperationException(e.Message);
            }
            reader?.Dispose();
            reader = opened;
            assignment = newAssignment;
            order = null;
        }
        return new ShardInfo(newAssignment.ShardIndex, reader.Count, reader.Skipped.Select(s => s.ToString()).ToList(),
            this.GetPrimaryKeyString());
    }

    public Task<ImageBatch> GetBatch(int epoch, int batchInEpoch, int batchSize)
    {
        if (reader is null || assignment is null)
            throw new InvalidOperationException($"Data shard {this.GetPrimaryKeyString()} was not prepared.");
        if (order is null || order.Epoch != epoch)
            order = new EpochOrder(reader.Count, EpochSeed(assignment.Seed), epoch, assignment.ShardIndex);
        var pixels = reader.Pixels(order.Batch(batchInEpoch, batchSize));
        return Task.FromResult(new ImageBatch(batchSize, reader.ImageSize, pixels));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        reader?.Dispose();
        reader = null;
        return Task.CompletedTask;
    }

    /// <summary>The run's 64-bit seed folded to the 32 bits the shuffle takes.</summary>
    public static int EpochSeed(long seed) => unchecked((int)(seed ^ (seed >> 32)));
}
