using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;

namespace Orleans.Gan.Bench.Data;

/// <summary>CelebaShardReader on the synthetic faces, as a data shard grain uses it: decode once, load later, batch each step.</summary>
public static class DataPipelineBenchmark
{
    private const int ImageSize = 64;
    private const int BatchSize = 64;

    public static async Task<DataPipelineResult> RunAsync(BenchSettings settings)
    {
        var dataset = await SyntheticDatasetFolder.EnsureAsync(settings.DataDirectory, settings.SyntheticFaces);
        var caches = Path.Combine(settings.WorkDirectory, "cold-caches");
        try
        {
            int round = 0;
            string cache = "";
            // Each decode writes into a cache folder of its own, so that none of them finds a cache to reuse.
            var decode = Timings.Measure(warmup: 0, repeats: settings.Quick ? 1 : 3, () =>
            {
                cache = Path.Combine(caches, $"round-{round++}");
                using var built = Open(dataset, cache);
                if (built.CacheOutcome != CacheOutcome.Built)
                    throw new InvalidOperationException($"The timed decode found a cache in {cache}.");
            });
            using var reader = Open(dataset, cache);
            var load = Timings.Measure(warmup: 1, repeats: settings.Quick ? 2 : 5, () =>
            {
                using var reused = Open(dataset, cache);
                if (reused.CacheOutcome != CacheOutcome.Reused)
                    throw new InvalidOperationException($"The shard cache in {cache} was not reused.");
            });
            var order = new EpochOrder(reader.Count, seed: 1, epoch: 0, shardIndex: 0);
            int batches = reader.Count / BatchSize, next = 0;
            var batch = Timings.Measure(warmup: 2, settings.Repeats, () =>
            {
                var pixels = reader.Pixels(order.Batch(next++ % batches, BatchSize));
                using var tensor = PixelTensors.FromPixels(pixels, BatchSize, ImageSize);
            });
            return new DataPipelineResult(reader.Count, decode, load, BatchSize, batch);
        }
        finally
        {
            if (Directory.Exists(caches))
                Directory.Delete(caches, recursive: true);
        }
    }

    private static CelebaShardReader Open(string dataset, string cache) =>
        CelebaShardReader.Open(dataset, DataPartition.Train, shardIndex: 0, shardCount: 1, ImageSize, cache);
}
