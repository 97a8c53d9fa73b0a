namespace Orleans.Gan.Data;

/// <summary>
/// A small set of real images to score generated faces against, preprocessed exactly as training images are (uint8
/// RGB, CHW, the same crop and resize), so that the score compares faces, not pipelines. Taken from the start of the
/// validation partition in name order, or, without one, from the end of the train partition (see
/// <see cref="HeldOutOrigin"/>). Unusable files are skipped and the next name is taken instead. Nothing is cached: a
/// score needs tens of images, read once per run, where a shard cache saves decoding tens of thousands every epoch.
/// </summary>
public sealed class HeldOutImages
{
    private HeldOutImages(int imageSize, HeldOutOrigin origin, IReadOnlyList<string> names, IReadOnlyList<SkippedImage> skipped, byte[] pixels)
    {
        ImageSize = imageSize;
        Origin = origin;
        Names = names;
        Skipped = skipped;
        Pixels = pixels;
    }

    public int ImageSize { get; }

    public HeldOutOrigin Origin { get; }

    /// <summary>The file names of the images, in name order; fewer than asked for when the partition is smaller.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>Files passed over because they could not be used, in the order they were tried.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <summary>uint8 [Count, 3, ImageSize, ImageSize], the layout of a shard's batches.</summary>
    public byte[] Pixels { get; }

    /// <summary>Opens the data set at <paramref name="datasetPath"/> just long enough to read the images.</summary>
    public static HeldOutImages Read(string datasetPath, int count, int imageSize, Action<string>? log = null)
    {
        using CelebaSource source = CelebaSource.Open(datasetPath);
        return Read(source, count, imageSize, log);
    }

    /// <summary>
    /// Up to <paramref name="count"/> usable images; <paramref name="log"/> receives where they come from and one line
    /// per skipped file.
    /// </summary>
    public static HeldOutImages Read(CelebaSource source, int count, int imageSize, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var preprocessor = new FacePreprocessor(imageSize);
        IReadOnlyList<string> valid = source.ImageNames(DataPartition.Valid);
        HeldOutOrigin origin = valid.Count > 0 ? HeldOutOrigin.ValidationPartition : HeldOutOrigin.TailOfTrain;
        IReadOnlyList<string> candidates = origin == HeldOutOrigin.ValidationPartition
            ? valid
            : [.. source.ImageNames(DataPartition.Train).Reverse()];

        var accepted = new List<(string Name, byte[] Pixels)>(count);
        var skipped = new List<SkippedImage>();
        int next = 0;
        while (accepted.Count < count && next < candidates.Count)
        {
            // Each round decodes just as many files as are still missing, in parallel, then takes them in order.
            int length = Math.Min(count - accepted.Count, candidates.Count - next);
            var results = new PreprocessResult[length];
            int start = next;
            Parallel.For(0, length, i => results[i] = CelebaShardReader.ReadAndProcess(source, preprocessor, candidates[start + i]));
            for (int i = 0; i < length; i++)
            {
                string name = candidates[start + i];
                if (results[i].Pixels is { } pixels)
                {
                    accepted.Add((name, pixels));
                }
                else
                {
                    var skip = new SkippedImage(name, results[i].Reason!.Value, results[i].Message);
                    skipped.Add(skip);
                    log?.Invoke($"Skipping held-out {skip.Name}: {skip.Reason}, {skip.Message}.");
                }
            }

            next += length;
        }

        if (accepted.Count == 0)
        {
            throw new DatasetException($"'{source.Location}' has no usable held-out images ({candidates.Count} candidates, {skipped.Count} skipped).");
        }

        accepted.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var gathered = new byte[accepted.Count * preprocessor.PixelBytes];
        for (int i = 0; i < accepted.Count; i++)
        {
            Buffer.BlockCopy(accepted[i].Pixels, 0, gathered, i * preprocessor.PixelBytes, preprocessor.PixelBytes);
        }

        log?.Invoke(origin == HeldOutOrigin.ValidationPartition
            ? $"Held out {accepted.Count} images of the validation partition, from {accepted[0].Name}."
            : $"No validation partition in '{source.Location}': held out the last {accepted.Count} images of train, which training also reads.");
        return new HeldOutImages(imageSize, origin, [.. accepted.Select(image => image.Name)], skipped, gathered);
    }
}
