using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Orleans.Gan.Core.Quality;

/// <summary>
/// The Laplacian pyramid of ProGAN's sliced Wasserstein distance, with OpenCV's pyrDown and pyrUp: the 5x5 binomial
/// filter ([1 4 6 4 1] times itself, / 256) and mirror padding (d c b | a b c d | c b a). Every level but the last
/// holds the detail one halving loses, the image minus its blurred half upsampled again; the last holds the blurred
/// image that remains, so each level shows structure of one scale only.
/// </summary>
public static class LaplacianPyramid
{
    /// <summary>One axis of the 5x5 filter, which is this filter along rows times this filter along columns.</summary>
    private static readonly double[] Binomial = [1 / 16.0, 4 / 16.0, 6 / 16.0, 4 / 16.0, 1 / 16.0];

    /// <summary>
    /// <paramref name="levelCount"/> levels of <paramref name="images"/> ([N, C, S, S], float64), the first of size S;
    /// the caller disposes them. Every level but the last must have an even size, so that upsampling its half returns
    /// to it exactly.
    /// </summary>
    public static Tensor[] Build(Tensor images, int levelCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levelCount, 1);
        if (images.dim() != 4 || images.dtype != ScalarType.Float64)
            throw new ArgumentException($"Expected float64 images [N, C, S, S], got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        var levels = new Tensor[levelCount];
        var current = images.alias();
        for (int level = 0; level < levelCount - 1; level++)
        {
            if (current.shape[2] % 2 != 0 || current.shape[3] % 2 != 0)
                throw new ArgumentException($"Level {level} is {current.shape[2]}x{current.shape[3]}: only even sizes can be halved and restored.", nameof(levelCount));
            var half = Down(current);
            using (var restored = Up(half))
                levels[level] = current.sub(restored);
            current.Dispose();
            current = half;
        }
        levels[^1] = current;
        return levels;
    }

    /// <summary>Blur, then keep every second row and column starting with the first.</summary>
    private static Tensor Down(Tensor images)
    {
        using var blurred = Blur(images, gain: 1);
        return blurred.slice(2, 0, blurred.shape[2], 2).slice(3, 0, blurred.shape[3], 2).contiguous();
    }

    /// <summary>
    /// Zeros between the pixels, then the blur with four times the weight, which restores the brightness the zeros
    /// took. The zeros go in before padding on purpose: OpenCV and ProGAN mirror the zero-filled image, which at the far
    /// edge repeats the last pixel instead of reflecting it.
    /// </summary>
    private static Tensor Up(Tensor images)
    {
        long n = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3];
        using var spread = zeros([n, channels, 2 * height, 2 * width], images.dtype, images.device);
        spread.index_put_(images, TensorIndex.Ellipsis, TensorIndex.Slice(null, null, 2), TensorIndex.Slice(null, null, 2));
        return Blur(spread, gain: 4);
    }

    /// <summary>
    /// The 5x5 filter times <paramref name="gain"/> over mirror-padded images, as a filter along rows and then one
    /// along columns, each a sum of shifted views: float64 convolutions have no fast kernel in libtorch and took ten
    /// times as long.
    /// </summary>
    private static Tensor Blur(Tensor images, double gain)
    {
        using var padded = pad(images, [2, 2, 2, 2], PaddingModes.Reflect);
        using var rows = FilterAlong(padded, 2, images.shape[2], gain);
        return FilterAlong(rows, 3, images.shape[3], 1);
    }

    private static Tensor FilterAlong(Tensor padded, long dimension, long length, double gain)
    {
        var sum = padded.narrow(dimension, 0, length).mul(Binomial[0] * gain);
        for (int tap = 1; tap < Binomial.Length; tap++)
            sum.add_(padded.narrow(dimension, tap, length), alpha: Binomial[tap] * gain);
        return sum;
    }
}
