using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Data;

/// <summary>Images per second through each stage of the data path, for one shard of 64 px synthetic faces.</summary>
/// <param name="Images">Images in the shard: what one decode or one cache load handles.</param>
/// <param name="Decode">JPEG decode, crop, resize and cache write of the whole shard (the first epoch of a run).</param>
/// <param name="CacheLoad">Loading the shard's cache file with its checksum (every later run).</param>
/// <param name="Batch">Gathering one batch from memory and scaling it to a float tensor (every step).</param>
public sealed record DataPipelineResult(int Images, Timings Decode, Timings CacheLoad, int BatchSize, Timings Batch);
