namespace Orleans.Gan.Data;

/// <summary>
/// One shard of a CelebA partition, served as uint8 batches read from its cache file. The first open decodes the
/// shard's JPEGs and writes the cache; later opens check and read only that file. The images stay in the file (and
/// the kernel's page cache), not in this process's memory: see <see cref="ShardPixels"/>.
/// </summary>
public sealed class CelebaShardReader : IDisposable
{
    /// <summary>Files larger than this are not read at all; CelebA's images are about 10 KB.</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    // Images are decoded in chunks: each chunk in parallel, then appended in order to a scratch file, so the result
    // is deterministic while only one chunk of decoded images is in memory.
    private const int ChunkSize = 256;

    private readonly ShardCache _cache;

    private CelebaShardReader(ShardCache cache, ShardRange range, CacheOutcome outcome, string cachePath)
    {
        _cache = cache;
        Range = range;
        CacheOutcome = outcome;
        CachePath = cachePath;
    }

    public ShardCacheKey Key => _cache.Key;

    public int ImageSize => Key.ImageSize;

    /// <summary>Number of usable images in this shard (skipped files excluded).</summary>
    public int Count => _cache.Count;

    /// <summary>Files of this shard's slice that could not be used, in name order.</summary>
    public IReadOnlyList<SkippedImage> Skipped => _cache.Skipped;

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

        CacheOutcome outcome = load.Status == ShardCacheStatus.Missing ? CacheOutcome.Built : CacheOutcome.Rebuilt;
        ShardCache decoded = Decode(source, names, range, key, cachePath, log, progress, cancellationToken);
        try
        {
            decoded.Write(cachePath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Training can go on from the scratch file; only the next start pays for decoding again.
            log?.Invoke($"Could not write cache {cachePath}: {exception.Message}");
            return new CelebaShardReader(decoded, range, outcome, cachePath);
        }

        // Read back what was written, checksum included, so that the scratch file's disk space is freed now.
        ShardCacheLoad written = ShardCache.Load(cachePath, key);
        if (written.Cache is null)
        {
            log?.Invoke($"Serving the decoded images from a scratch file: the cache just written did not load: {written.Message}.");
            return new CelebaShardReader(decoded, range, outcome, cachePath);
        }

        decoded.Dispose();
        log?.Invoke($"Cached {written.Cache.Count} images of {partition} shard {shardIndex}/{shardCount} in {cachePath}.");
        return new CelebaShardReader(written.Cache, range, outcome, cachePath);
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

            _cache.Pixels.ReadBytes((long)index * imageBytes, gathered.AsSpan(i * imageBytes, imageBytes));
        }

        return gathered;
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// Decodes the shard's files into a scratch file beside the cache (deleted when closed), or in the system's
    /// temporary folder where the cache's cannot be written to.
    /// </summary>
    private static ShardCache Decode(
        CelebaSource source,
        IReadOnlyList<string> names,
        ShardRange range,
        ShardCacheKey key,
        string cachePath,
        Action<string>? log,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        var preprocessor = new FacePreprocessor(key.ImageSize);
        int imageBytes = preprocessor.PixelBytes;
        FileStream scratch = OpenScratch(cachePath, log);
        try
        {
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
                        scratch.Write(image, 0, imageBytes);
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

            scratch.Flush();
            return new ShardCache(key, skipped, new ShardPixels(scratch, 0, count, key.ImageSize));
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    private static FileStream OpenScratch(string cachePath, Action<string>? log)
    {
        static FileStream Open(string folder, string name)
        {
            Directory.CreateDirectory(folder);
            return new FileStream(Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.decoding"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, bufferSize: 1 << 20, FileOptions.DeleteOnClose);
        }

        string name = Path.GetFileName(cachePath);
        try
        {
            return Open(Path.GetDirectoryName(cachePath)!, name);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"Could not decode into the cache's folder ({exception.Message}); decoding into {Path.GetTempPath()} instead.");
            return Open(Path.GetTempPath(), name);
        }
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
