using static TorchSharp.torch;

namespace Orleans.Gan.Core.Quality;

/// <summary>
/// Every random input of one sliced Wasserstein distance, level by level, finest first. Drawn from a seed, so a
/// score can be recomputed exactly; a run that keeps one seed also compares every evaluation with the same patches
/// and directions, and its curve then moves with G alone rather than with the draw.
/// </summary>
public sealed class SwdDraws
{
    public SwdDraws(int imageCount, int imageSize, IReadOnlyList<SwdLevelDraws> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var expectedSizes = SlicedWassersteinDistance.LevelSizes(imageSize);
        if (!levels.Select(level => level.Size).SequenceEqual(expectedSizes))
            throw new ArgumentException($"Images of {imageSize} px have levels of [{string.Join(", ", expectedSizes)}] px, got [{string.Join(", ", levels.Select(level => level.Size))}].", nameof(levels));
        foreach (var level in levels)
        {
            foreach (var corners in (PatchCorners[])[level.Real, level.Fake])
            {
                if (corners.ImageCount != imageCount)
                    throw new ArgumentException($"Patches at {level.Size} px are drawn for {corners.ImageCount} images, not {imageCount}.", nameof(levels));
                corners.RequireInside(level.Size, SlicedWassersteinDistance.PatchSize);
            }
            if (level.Directions.Dimension != SlicedWassersteinDistance.DescriptorLength)
                throw new ArgumentException($"Directions at {level.Size} px have {level.Directions.Dimension} components, descriptors {SlicedWassersteinDistance.DescriptorLength}.", nameof(levels));
        }
        ImageCount = imageCount;
        ImageSize = imageSize;
        Levels = levels;
    }

    /// <summary>The number of images in each of the two sets.</summary>
    public int ImageCount { get; }

    public int ImageSize { get; }

    public IReadOnlyList<SwdLevelDraws> Levels { get; }

    /// <summary>ProGAN's amounts: 128 patches per image and level from each set, 4 repeats of 128 directions per level.</summary>
    public static SwdDraws FromSeed(long seed, int imageCount, int imageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageCount, 1);
        using var random = new Generator(unchecked((ulong)seed));
        var levels = SlicedWassersteinDistance.LevelSizes(imageSize).Select(size => new SwdLevelDraws(
                size,
                PatchCorners.Draw(random, imageCount, SlicedWassersteinDistance.PatchesPerImage, size, SlicedWassersteinDistance.PatchSize),
                PatchCorners.Draw(random, imageCount, SlicedWassersteinDistance.PatchesPerImage, size, SlicedWassersteinDistance.PatchSize),
                ProjectionDirections.Draw(random, SlicedWassersteinDistance.DirectionRepeats, SlicedWassersteinDistance.DescriptorLength, SlicedWassersteinDistance.DirectionsPerRepeat)))
            .ToList();
        return new SwdDraws(imageCount, imageSize, levels);
    }
}
