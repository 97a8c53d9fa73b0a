using Orleans.Gan.Core.Quality;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Quality;

public sealed class LaplacianPyramidTests
{
    [Fact]
    public void Levels_have_halving_sizes_and_a_flat_image_has_no_detail()
    {
        using var flat = full(2, 3, 28, 28, 0.25, ScalarType.Float64);

        var levels = LaplacianPyramid.Build(flat, 2);

        Assert.Equal([2L, 3, 28, 28], levels[0].shape);
        Assert.Equal([2L, 3, 14, 14], levels[1].shape);
        Assert.Equal(0.0, levels[0].abs().max().item<double>(), 1e-12);
        Assert.Equal(0.25, levels[1].mean().item<double>(), 1e-12);
        Assert.Equal(0.0, levels[1].std().item<double>(), 1e-12);
        foreach (var level in levels)
            level.Dispose();
    }

    [Fact]
    public void Odd_sizes_cannot_be_halved_and_restored()
    {
        using var odd = zeros([1, 3, 15, 15], ScalarType.Float64);

        Assert.Equal("levelCount", Assert.Throws<ArgumentException>(() => LaplacianPyramid.Build(odd, 2)).ParamName);
    }
}
