using Orleans.Gan.Core.Training;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Quality;

/// <summary>Image sets for the quality score: synthetic faces through the training pipeline, and uniform noise.</summary>
internal static class QualityImages
{
    /// <summary>Faces <paramref name="indices"/> of the synthetic data set <paramref name="seed"/>, as a training batch ([N, 3, S, S] in [-1, 1]).</summary>
    public static Tensor Faces(int seed, IReadOnlyList<int> indices, int imageSize)
    {
        var preprocessor = new FacePreprocessor(imageSize);
        var pixels = new byte[indices.Count * preprocessor.PixelBytes];
        Parallel.For(0, indices.Count, i =>
        {
            using Image<Rgb24> face = SyntheticFaceRenderer.Render(seed, indices[i]);
            using var jpeg = new MemoryStream();
            face.SaveAsJpeg(jpeg, new JpegEncoder { Quality = SyntheticFaceWriter.JpegQuality });
            preprocessor.Process(jpeg.ToArray()).Pixels!.CopyTo(pixels, i * preprocessor.PixelBytes);
        });
        return PixelTensors.FromPixels(pixels, indices.Count, imageSize);
    }

    /// <summary>Uniform noise in [-1, 1]: what an untrained generator's output looks like to the score.</summary>
    public static Tensor Noise(long seed, int count, int imageSize)
    {
        using var random = new Generator((ulong)seed);
        using var unit = rand([count, 3, imageSize, imageSize], generator: random);
        return unit.mul(2).sub_(1);
    }
}
