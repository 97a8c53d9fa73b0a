using static TorchSharp.torch;

namespace Orleans.Gan.Core.Quality;

/// <summary>
/// The sliced Wasserstein distance of ProGAN (Karras et al. 2018, metrics/sliced_wasserstein.py): how far the
/// distributions of local 7x7 patches of two image sets are apart, at each scale of a Laplacian pyramid. Per level,
/// 128 patches per image are cut from each set, each colour channel is normalised to zero mean and unit deviation
/// over the set's patches, the patches are projected onto random unit directions, and the sorted projections of the
/// two sets are compared: the mean absolute difference is the 1-D Wasserstein distance along each direction.
/// </summary>
/// <remarks>
/// As in ProGAN each set is normalised with its own mean and deviation, so the score looks at structure and
/// contrast between neighbouring pixels, not at a global shift of colour or brightness. The input scale does not
/// matter either: [-1, 1] here and ProGAN's 0..255 give the same score.
/// </remarks>
public static class SlicedWassersteinDistance
{
    public const int Channels = 3;
    public const int PatchSize = 7;
    public const int PatchesPerImage = 128;
    public const int DirectionRepeats = 4;
    public const int DirectionsPerRepeat = 128;
    public const int DescriptorLength = Channels * PatchSize * PatchSize;

    /// <summary>
    /// The smallest level. ProGAN halves its power-of-two images down to 16 px; stopping at twice the patch size gives
    /// the same levels for those (64: 64, 32, 16) and keeps a second, coarse level for 28 px images (28, 14), where
    /// ProGAN's rule would leave one level with no coarse structure at all. A 7x7 patch still has 8x8 places in 14 px.
    /// </summary>
    public const int MinimumLevelSize = 2 * PatchSize;

    /// <summary>The pyramid's level sizes for square images of <paramref name="imageSize"/>, finest first.</summary>
    public static IReadOnlyList<int> LevelSizes(int imageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, PatchSize);
        var sizes = new List<int> { imageSize };
        // An odd level cannot be halved: upsampling its half would not give back its size.
        while (sizes[^1] % 2 == 0 && sizes[^1] / 2 >= MinimumLevelSize)
            sizes.Add(sizes[^1] / 2);
        return sizes;
    }

    /// <summary>The distance between <paramref name="real"/> and <paramref name="fake"/>, with patches and directions drawn from <paramref name="seed"/>.</summary>
    public static SwdScore Compute(Tensor real, Tensor fake, long seed)
    {
        ArgumentNullException.ThrowIfNull(real);
        return Compute(real, fake, SwdDraws.FromSeed(seed, (int)real.shape[0], (int)real.shape[^1]));
    }

    /// <summary>
    /// The distance between <paramref name="real"/> and <paramref name="fake"/>, two float tensors [N, 3, S, S] of the
    /// same shape, in [-1, 1] or any other scale. Computed in float64 on the CPU: it then matches the independent
    /// numpy reference to about 1e-13, so any larger difference is a bug rather than rounding.
    /// </summary>
    public static SwdScore Compute(Tensor real, Tensor fake, SwdDraws draws)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentNullException.ThrowIfNull(draws);
        long[] expected = [draws.ImageCount, Channels, draws.ImageSize, draws.ImageSize];
        if (!real.shape.SequenceEqual(expected))
            throw new ArgumentException($"Expected real images [{string.Join(", ", expected)}], got [{string.Join(", ", real.shape)}].", nameof(real));
        if (!fake.shape.SequenceEqual(expected))
            throw new ArgumentException($"Expected fake images [{string.Join(", ", expected)}], got [{string.Join(", ", fake.shape)}].", nameof(fake));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var realLevels = LaplacianPyramid.Build(real.detach().to(ScalarType.Float64, CPU), draws.Levels.Count);
        var fakeLevels = LaplacianPyramid.Build(fake.detach().to(ScalarType.Float64, CPU), draws.Levels.Count);
        var scores = new List<SwdLevelScore>(draws.Levels.Count);
        for (int level = 0; level < draws.Levels.Count; level++)
        {
            var levelDraws = draws.Levels[level];
            using var levelScope = NewDisposeScope();
            var realDescriptors = Descriptors(realLevels[level], levelDraws.Real);
            var fakeDescriptors = Descriptors(fakeLevels[level], levelDraws.Fake);
            double distance = Distance(realDescriptors, fakeDescriptors, levelDraws.Directions);
            scores.Add(new SwdLevelScore(levelDraws.Size, distance * 1e3));
        }
        return new SwdScore(scores);
    }

    /// <summary>
    /// The patches at <paramref name="corners"/>, flattened to [patches, channel x row x column] after normalising each
    /// channel over all patches. All patches are gathered in one indexed read from the flat level.
    /// </summary>
    private static Tensor Descriptors(Tensor level, PatchCorners corners)
    {
        long size = level.shape[2];
        var image = arange(corners.Count, ScalarType.Int64).div_(corners.PerImage, rounding_mode: RoundingMode.floor).view(-1, 1, 1, 1);
        var channel = arange(Channels, ScalarType.Int64).view(1, -1, 1, 1);
        var row = tensor(corners.Tops).to(ScalarType.Int64).view(-1, 1, 1, 1) + arange(PatchSize, ScalarType.Int64).view(1, 1, -1, 1);
        var column = tensor(corners.Lefts).to(ScalarType.Int64).view(-1, 1, 1, 1) + arange(PatchSize, ScalarType.Int64).view(1, 1, 1, -1);
        var index = ((image * Channels + channel) * size + row) * size + column;
        var patches = level.contiguous().flatten().take(index);

        var centred = patches.sub(patches.mean([0, 2, 3], keepdim: true));
        var deviation = centred.square().mean([0, 2, 3], keepdim: true).sqrt_();
        // A channel without any variation (a flat test image) stays at zero instead of turning into NaN.
        deviation = where(deviation.gt(0), deviation, ones_like(deviation));
        return centred.div_(deviation).reshape(corners.Count, DescriptorLength);
    }

    /// <summary>
    /// The mean over directions and patches of |sorted projection of one set - sorted projection of the other|. Each
    /// direction's projections form one contiguous row: sorting along rows is about four times as fast as down columns.
    /// One repeat's directions at a time, as ProGAN projects them: all 512 at once held [512, patches] values and
    /// sort indices per set and level until the score ended, about 0.7 GB at 64 px, which made the score the
    /// coordinator's silo's peak.
    /// </summary>
    private static double Distance(Tensor real, Tensor fake, ProjectionDirections directions)
    {
        using var byRepeat = directions.ByRepeat();
        double sum = 0;
        for (int repeat = 0; repeat < directions.Repeats; repeat++)
        {
            using var scope = NewDisposeScope();
            var byDirection = byRepeat[repeat];
            var realSorted = byDirection.mm(real.t()).sort(1).Values;
            var fakeSorted = byDirection.mm(fake.t()).sort(1).Values;
            sum += realSorted.sub_(fakeSorted).abs_().sum().item<double>();
        }
        return sum / ((double)directions.Repeats * directions.PerRepeat * real.shape[0]);
    }
}
