using static TorchSharp.torch;

namespace Orleans.Gan.Core.Quality;

/// <summary>
/// Where the square patches of one image set are cut at one pyramid level: the top-left corner of each patch, image
/// by image (patches 0..PerImage-1 come from image 0, and so on). Any corner that keeps the patch inside the level is
/// allowed, as ProGAN draws them.
/// </summary>
public sealed class PatchCorners
{
    public PatchCorners(int imageCount, int perImage, int[] tops, int[] lefts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perImage, 1);
        ArgumentNullException.ThrowIfNull(tops);
        ArgumentNullException.ThrowIfNull(lefts);
        if (tops.Length != imageCount * perImage || lefts.Length != tops.Length)
            throw new ArgumentException($"{imageCount} images of {perImage} patches need {imageCount * perImage} tops and lefts, got {tops.Length} and {lefts.Length}.", nameof(tops));
        ImageCount = imageCount;
        PerImage = perImage;
        Tops = tops;
        Lefts = lefts;
    }

    public int ImageCount { get; }

    public int PerImage { get; }

    /// <summary>The row of each patch's top-left pixel.</summary>
    public int[] Tops { get; }

    /// <summary>The column of each patch's top-left pixel.</summary>
    public int[] Lefts { get; }

    public int Count => Tops.Length;

    /// <summary>Uniform corners for patches of <paramref name="patchSize"/> inside a level of <paramref name="levelSize"/>.</summary>
    public static PatchCorners Draw(Generator random, int imageCount, int perImage, int levelSize, int patchSize)
    {
        int positions = levelSize - patchSize + 1;
        ArgumentOutOfRangeException.ThrowIfLessThan(positions, 1, nameof(levelSize));
        int count = imageCount * perImage;
        using var tops = randint(0, positions, [count], ScalarType.Int32, generator: random);
        using var lefts = randint(0, positions, [count], ScalarType.Int32, generator: random);
        return new PatchCorners(imageCount, perImage, tops.data<int>().ToArray(), lefts.data<int>().ToArray());
    }

    /// <summary>Throws unless every patch of <paramref name="patchSize"/> lies inside a level of <paramref name="levelSize"/>.</summary>
    public void RequireInside(int levelSize, int patchSize)
    {
        int last = levelSize - patchSize;
        for (int i = 0; i < Count; i++)
        {
            if ((uint)Tops[i] > (uint)last || (uint)Lefts[i] > (uint)last)
                throw new ArgumentException($"Patch {i} at ({Tops[i]}, {Lefts[i]}) does not fit a {patchSize}x{patchSize} patch inside {levelSize}x{levelSize}.");
        }
    }
}
