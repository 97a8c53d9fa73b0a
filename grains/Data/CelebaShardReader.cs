namespace Orleans.Gan.Data;

/// <summary>
/// One shard of a CelebA partition, held in memory as uint8 pixels and served as uint8 batches. The first open
/// decodes the shard's JPEGs and writes a cache file; later opens read only that file.
/// </summary>
public sealed class CelebaShardReader
{
    /// <summary>Files larger than this are not read at all; CelebA's images are about 10 KB.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    // Images are decoded in chunks: each chunk in parallel, then appended in order, so the result is deterministic
    // while only one chunk of decoded images is held besides the payload.
    private const int ChunkSize = 256;

    private readonly byte[] _pixels;

    private CelebaShardReader(ShardCache cache, ShardRange range, CacheOutcome outcome, string cachePath)
    {
        _pixels = cache.Pixels;
        Key = cache.Key;
        Count = cache.Count;
        Skipped = cache.Skipped;
        Range = range;
        CacheOutcome = outcome;
        CachePath = cachePath;
    }

    public ShardCacheKey Key { get; }

    public int ImageSize => Key.ImageSize;

    /// <summary>Number of usable images in this shard (skipped files excluded).</summary>
    public int Count { get; }

    /// <summary>Files of this shard's slice that could not be used, in name order.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <summary>This shard's slice of the partition's sorted file names, skipped files included.</summary>
    public ShardRange Range { get; }

    public CacheOutcome CacheOutcome { get; }

    public string CachePath { get; }

    /// <summary>Opens the data set at <paramref name="datasetPath"/> just long enough to load the shard.</summary>
    public static CelebaShardReader Open(
        string datasetPath,
        DataPartition partition,
        int shardIndex,
        int shardCount,
        int imageSize,
        string cacheDirectory,
        Action<string>? log = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using CelebaSource source = CelebaSource.Open(datasetPath);
        return Open(source, partition, shardIndex, shardCount, imageSize, cacheDirectory, log, progress, cancellationToken);
    }

    /// <summary>
    /// Loads the shard from its cache in <paramref name="cacheDirectory"/>, or decodes it and writes the cache when
    /// the cache is missing, stale or corrupt. <paramref name="progress"/> receives the number of images processed
    /// so far; <paramref name="log"/> receives one line per cache decision and per skipped file.
    /// </summary>
    public static CelebaShardReader Open(
        CelebaSource source,
        DataPartition partition,
        int shardIndex,
        int shardCount,
        int imageSize,
        string cacheDirectory,
        Action<string>? log = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, FacePreprocessor.MinImageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(imageSize, FacePreprocessor.MaxImageSize);
        IReadOnlyList<string> names = source.ImageNames(partition);
        ShardRange range = ShardSplitter.Slice(names.Count, shardCount, shardIndex);
        long payloadBytes = (long)range.Count * ShardCache.BytesPerImage(imageSize);
        if (payloadBytes > Array.MaxLength)
        {
            // The shard is held as one byte array, e.g. all of CelebA at 64 px (2.5 GB) needs two shards.
            int imagesPerArray = Array.MaxLength / ShardCache.BytesPerImage(imageSize);
            int needed = (names.Count + imagesPerArray - 1) / imagesPerArray;
            throw new ArgumentOutOfRangeException(
                nameof(shardCount),
                shardCount,
                $"{range.Count} images of {imageSize}x{imageSize} need {payloadBytes} bytes, more than one array holds; use at least {needed} shards.");
        }

        var key = new ShardCacheKey(source.Fingerprint, partition, shardIndex, shardCount, imageSize);
        string cachePath = Path.Combine(Path.GetFullPath(cacheDirectory), key.FileName);
        ShardCacheLoad load = ShardCache.Load(cachePath, key);
        if (load.Cache is not null)
        {
            log?.Invoke($"Reusing {load.Cache.Count} images of {partition} shard {shardIndex}/{shardCount} from {cachePath}.");
            progress?.Report(range.Count);
            return new CelebaShardReader(load.Cache, range, CacheOutcome.Reused, cachePath);
        }

        if (load.Status != ShardCacheStatus.Missing)
        {
            log?.Invoke($"Rebuilding: {load.Message}.");
        }

        ShardCache cache = Build(source, names, range, key, log, progress, cancellationToken);
        try
        {
            cache.Write(cachePath);
            log?.Invoke($"Cached {cache.Count} images of {partition} shard {shardIndex}/{shardCount} in {cachePath}.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Training can go on from memory; only the next start pays for decoding again.
            log?.Invoke($"Could not write cache {cachePath}: {exception.Message}");
        }

        CacheOutcome outcome = load.Status == ShardCacheStatus.Missing ? CacheOutcome.Built : CacheOutcome.Rebuilt;
        return new CelebaShardReader(cache, range, outcome, cachePath);
    }

    /// <summary>The images at <paramref name="indices"/> as uint8 [N, 3, ImageSize, ImageSize]: what travels to a worker, which scales them with PixelTensors.</summary>
    public byte[] Pixels(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("At least one index is needed.", nameof(indices));
        }

        int imageBytes = ShardCache.BytesPerImage(ImageSize);
        var gathered = new byte[(long)indices.Length * imageBytes];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), index, $"Index {index} is outside the shard's {Count} images.");
            }

            Buffer.BlockCopy(_pixels, index * imageBytes, gathered, i * imageBytes, imageBytes);
        }

        return gathered;
    }

    private static ShardCache Build(
        CelebaSource source,
        IReadOnlyList<string> names,
        ShardRange range,
        ShardCacheKey key,
        Action<string>? log,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        var preprocessor = new FacePreprocessor(key.ImageSize);
        int imageBytes = preprocessor.PixelBytes;
        var pixels = new byte[(long)range.Count * imageBytes];
        var skipped = new List<SkippedImage>();
        var results = new PreprocessResult[ChunkSize];
        var parallelism = new ParallelOptions
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        int count = 0;
        for (int chunkStart = 0; chunkStart < range.Count; chunkStart += ChunkSize)
        {
            int chunkLength = Math.Min(ChunkSize, range.Count - chunkStart);
            Parallel.For(0, chunkLength, parallelism, i =>
                results[i] = ReadAndProcess(source, preprocessor, names[range.Start + chunkStart + i]));

            for (int i = 0; i < chunkLength; i++)
            {
                PreprocessResult result = results[i];
                if (result.Pixels is { } image)
                {
                    Buffer.BlockCopy(image, 0, pixels, count * imageBytes, imageBytes);
                    count++;
                }
                else
                {
                    var skip = new SkippedImage(names[range.Start + chunkStart + i], result.Reason!.Value, result.Message);
                    skipped.Add(skip);
                    log?.Invoke($"Skipping {skip.Name}: {skip.Reason}, {skip.Message}.");
                }
            }

            progress?.Report(chunkStart + chunkLength);
        }

        if (count == 0)
        {
            throw new DatasetException(
                $"{key.Partition} shard {key.ShardIndex}/{key.ShardCount} of '{source.Location}' has no usable images " +
                $"({range.Count} files, {skipped.Count} skipped).");
        }

        if (count < range.Count)
        {
            Array.Resize(ref pixels, count * imageBytes);
        }

        return new ShardCache(key, count, skipped, pixels);
    }

    /// <summary>One file through the preprocessor, refusing oversized files before reading them.</summary>
    internal static PreprocessResult ReadAndProcess(CelebaSource source, FacePreprocessor preprocessor, string name)
    {
        long size = source.SizeOf(name);
        if (size > MaxFileBytes)
        {
            return PreprocessResult.Failure(SkipReason.TooLarge, $"file is {size} bytes, above the {MaxFileBytes} byte limit");
        }

        byte[] file;
        try
        {
            file = source.ReadImage(name);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // InvalidDataException: a damaged entry of a zip archive.
            return PreprocessResult.Failure(SkipReason.Unreadable, exception.Message);
        }

        return preprocessor.Process(file);
    }
}
