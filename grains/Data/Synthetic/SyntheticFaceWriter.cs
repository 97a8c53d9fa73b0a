using System.Globalization;
using System.Text;
using Orleans.Gan.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Orleans.Gan.Data.Synthetic;

/// <summary>
/// Writes a synthetic data set in CelebA's layout (img_align_celeba/000001.jpg... and list_eval_partition.txt), so
/// the pipeline and the trainer can be exercised without downloading CelebA. The bytes depend only on the seed.
/// </summary>
public static class SyntheticFaceWriter
{
    public const int JpegQuality = 90;

    // CelebA's official split: 162,770 / 19,867 / 19,962 of 202,599 images, in contiguous ranges.
    private const int CelebaTrain = 162_770;
    private const int CelebaValid = 19_867;
    private const int CelebaTotal = 202_599;

    /// <summary>Writes <paramref name="count"/> faces; <paramref name="progress"/> receives the number written so far.</summary>
    public static void Write(string outputRoot, int count, int seed, IProgress<int>? progress = null)
    {
        if (string.IsNullOrWhiteSpace(outputRoot))
        {
            throw new ArgumentException("An output folder is needed.", nameof(outputRoot));
        }

        if (count < 1)
        {
            throw new ArgumentException($"At least one image is needed, got {count}.", nameof(count));
        }

        string imageFolder = Path.Combine(outputRoot, CelebaSource.ImageFolderName);
        if (Directory.Exists(imageFolder))
        {
            // Rewriting the same data set is fine, but leftovers (a larger earlier run, or real CelebA) would join
            // the train partition unnoticed, and deleting them could destroy someone's data.
            string? foreign = Directory.EnumerateFiles(imageFolder).Select(Path.GetFileName)
                .FirstOrDefault(name => !IsImageName(name!, count));
            if (foreign is not null)
            {
                throw new ArgumentException(
                    $"{imageFolder} already holds {foreign}, which a data set of {count} images would not contain; use an empty folder.",
                    nameof(outputRoot));
            }
        }

        Directory.CreateDirectory(imageFolder);
        var encoder = new JpegEncoder { Quality = JpegQuality };
        int written = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, index =>
        {
            using Image<Rgb24> face = SyntheticFaceRenderer.Render(seed, index);
            face.SaveAsJpeg(Path.Combine(imageFolder, ImageName(index)), encoder);
            progress?.Report(Interlocked.Increment(ref written));
        });

        (int train, int valid, _) = PartitionSizes(count);
        var partitionFile = new StringBuilder(count * 13);
        for (int index = 0; index < count; index++)
        {
            DataPartition partition = index < train ? DataPartition.Train
                : index < train + valid ? DataPartition.Valid
                : DataPartition.Test;
            partitionFile.Append(CultureInfo.InvariantCulture, $"{ImageName(index)} {(int)partition}\n");
        }

        File.WriteAllText(Path.Combine(outputRoot, CelebaSource.PartitionFileName), partitionFile.ToString());
    }

    /// <summary>How many of <paramref name="count"/> images go to each partition, in CelebA's proportions.</summary>
    public static (int Train, int Valid, int Test) PartitionSizes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int train = (int)Math.Round((long)count * CelebaTrain / (double)CelebaTotal);
        int valid = Math.Min(count - train, (int)Math.Round((long)count * CelebaValid / (double)CelebaTotal));
        return (train, valid, count - train - valid);
    }

    /// <summary>CelebA's file name of the image at zero-based <paramref name="index"/>: 000001.jpg for index 0.</summary>
    public static string ImageName(int index) => (index + 1).ToString("D6", CultureInfo.InvariantCulture) + ".jpg";

    private static bool IsImageName(string name, int count) =>
        name.EndsWith(".jpg", StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(0, name.Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out int number)
        && number >= 1 && number <= count && name == ImageName(number - 1);
}
