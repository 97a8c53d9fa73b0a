using Orleans.Gan.Core.Quality;
using Orleans.Gan.Core.Tests.Data;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Quality;

public sealed class SlicedWassersteinDistanceTests(QualityImageSets sets) : IClassFixture<QualityImageSets>
{
    private const long Seed = 11;

    [Theory]
    [InlineData(64, new[] { 64, 32, 16 })]
    [InlineData(28, new[] { 28, 14 })]
    [InlineData(128, new[] { 128, 64, 32, 16 })]
    [InlineData(30, new[] { 30, 15 })]
    public void Levels_halve_down_to_twice_the_patch_size(int imageSize, int[] expected)
    {
        Assert.Equal(expected, SlicedWassersteinDistance.LevelSizes(imageSize));
    }

    [Fact]
    public void Equals_the_independent_numpy_script_to_1e_4_absolute_on_the_x1000_values()
    {
        var draws = SwdDraws.FromSeed(Seed, QualityImageSets.Count, QualityImageSets.ImageSize);
        using var temp = new TempFolder();
        SwdReferenceInputs.Write(temp.Path, sets.Faces, sets.Noise, draws);

        var score = SlicedWassersteinDistance.Compute(sets.Faces, sets.Noise, draws);
        var reference = NumpyReference.Score(temp.Path);

        Assert.Equal([64, 32, 16], reference.Levels.Select(level => level.Size));
        Assert.Equal(reference.Levels.Select(level => level.Size), score.Levels.Select(level => level.Size));
        foreach (var (ours, theirs) in score.Levels.Zip(reference.Levels))
            Assert.True(Math.Abs(ours.Value - theirs.Value) <= 1e-4, $"{ours.Size} px: C# {ours.Value:R}, numpy {theirs.Value:R}");
        Assert.True(Math.Abs(score.Average - reference.Average) <= 1e-4, $"average: C# {score.Average:R}, numpy {reference.Average:R}");
    }

    [Fact]
    public void A_set_against_itself_is_zero_at_the_same_patches_and_small_at_other_patches()
    {
        var draws = SwdDraws.FromSeed(Seed, QualityImageSets.Count, QualityImageSets.ImageSize);
        var samePatches = new SwdDraws(draws.ImageCount, draws.ImageSize, [.. draws.Levels.Select(level => level with { Fake = level.Real })]);

        var identical = SlicedWassersteinDistance.Compute(sets.Faces, sets.Faces, samePatches);
        var resampled = SlicedWassersteinDistance.Compute(sets.Faces, sets.Faces, draws);
        var againstNoise = SlicedWassersteinDistance.Compute(sets.Faces, sets.Noise, draws);

        Assert.All(identical.Levels, level => Assert.Equal(0.0, level.Value));
        // What remains with other patches is the sampling noise of 4,096 patches per set, about a tenth of noise's score.
        Assert.All(resampled.Levels.Zip(againstNoise.Levels), pair => Assert.True(pair.First.Value * 4 < pair.Second.Value,
            $"{pair.First.Size} px: itself {pair.First.Value:F2}, noise {pair.Second.Value:F2}"));
    }

    [Fact]
    public void Other_synthetic_faces_score_far_closer_than_noise()
    {
        var toFaces = SlicedWassersteinDistance.Compute(sets.Faces, sets.OtherFaces, Seed);
        var toNoise = SlicedWassersteinDistance.Compute(sets.Faces, sets.Noise, Seed);

        Assert.True(toFaces.Average * 4 < toNoise.Average, $"faces: {toFaces}; noise: {toNoise}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_score_and_another_seed_a_different_one()
    {
        var first = SlicedWassersteinDistance.Compute(sets.Faces, sets.Noise, Seed);

        Assert.Equal(first.Levels, SlicedWassersteinDistance.Compute(sets.Faces, sets.Noise, Seed).Levels);
        Assert.NotEqual(first.Levels, SlicedWassersteinDistance.Compute(sets.Faces, sets.Noise, Seed + 1).Levels);
    }

    [Fact]
    public void The_scale_of_the_pixels_does_not_matter_and_28_px_images_have_two_levels()
    {
        using var faces = QualityImages.Faces(seed: 5, [.. Enumerable.Range(0, 8)], 28);
        using var noise = QualityImages.Noise(seed: 6, 8, 28);
        using var facesAsBytes = faces.add(1).mul_(127.5);
        using var noiseAsBytes = noise.add(1).mul_(127.5);

        var unit = SlicedWassersteinDistance.Compute(faces, noise, Seed);
        var bytes = SlicedWassersteinDistance.Compute(facesAsBytes, noiseAsBytes, Seed);

        Assert.Equal([28, 14], unit.Levels.Select(level => level.Size));
        // Scaling in float32 rounds the pixels, hence a relative 1e-6 rather than equality.
        Assert.All(unit.Levels.Zip(bytes.Levels), pair => Assert.Equal(pair.First.Value, pair.Second.Value, pair.First.Value * 1e-6));
    }

    [Fact]
    public void Sets_of_different_shapes_are_refused_naming_the_argument()
    {
        using var four = zeros(4, 3, 28, 28);
        using var three = zeros(3, 3, 28, 28);
        using var gray = zeros(4, 1, 28, 28);

        Assert.Equal("fake", Assert.Throws<ArgumentException>(() => SlicedWassersteinDistance.Compute(four, three, Seed)).ParamName);
        Assert.Equal("real", Assert.Throws<ArgumentException>(() => SlicedWassersteinDistance.Compute(gray, gray, Seed)).ParamName);
    }

    [Fact]
    public void Prints_each_level_and_the_average()
    {
        var score = new SwdScore([new SwdLevelScore(64, 12.34), new SwdLevelScore(32, 8.06), new SwdLevelScore(16, 5.4)]);

        Assert.Equal("SWD x1e3 64px 12.3 32px 8.1 16px 5.4 avg 8.6", score.ToString());
    }
}
