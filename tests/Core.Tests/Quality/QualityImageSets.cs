using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Quality;

/// <summary>The image sets the score's tests share, rendered once: two different sets of faces and one of noise, 64 px.</summary>
public sealed class QualityImageSets : IDisposable
{
    public const int Count = 32;
    public const int ImageSize = 64;

    /// <summary>Faces 0..31 of synthetic data set 5.</summary>
    public Tensor Faces { get; } = QualityImages.Faces(seed: 5, [.. Enumerable.Range(0, Count)], ImageSize);

    /// <summary>Other faces, from another data set and in shuffled order, which the score must not care about.</summary>
    public Tensor OtherFaces { get; } = QualityImages.Faces(seed: 8, [.. Enumerable.Range(1000, Count).OrderBy(index => index * 7919 % 101)], ImageSize);

    public Tensor Noise { get; } = QualityImages.Noise(seed: 6, Count, ImageSize);

    public void Dispose()
    {
        Faces.Dispose();
        OtherFaces.Dispose();
        Noise.Dispose();
    }
}
