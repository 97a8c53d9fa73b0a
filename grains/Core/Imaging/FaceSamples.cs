using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Imaging;

/// <summary>
/// Faces from a generator as PNG, for noise drawn from a seed: one grid, or a file per face. The sampler grain and the
/// client's <c>sample --weights</c> draw them alike, so a seed gives the same faces from a run and from its weights file.
/// </summary>
public static class FaceSamples
{
    public static byte[] Grid(GanNetworks networks, int count, long seed)
    {
        using var faces = Draw(networks, count, seed);
        return FaceGrid.ToPng(faces, columns: (int)Math.Ceiling(Math.Sqrt(count)));
    }

    public static IReadOnlyList<byte[]> Separate(GanNetworks networks, int count, long seed)
    {
        using var faces = Draw(networks, count, seed);
        return FaceGrid.ToPngs(faces);
    }

    private static Tensor Draw(GanNetworks networks, int count, long seed)
    {
        using var random = new Generator(unchecked((ulong)seed));
        return FixedNoise.Sample(networks, random, count);
    }
}
