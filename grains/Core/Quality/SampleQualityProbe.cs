using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Data;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Quality;

/// <summary>
/// A run's quality score: the SWD between G's faces for the run's fixed noise and a held-out slice of real images,
/// with patch positions and projection directions drawn once from the run's seed, so that successive scores of one
/// run differ only because G changed.
/// </summary>
public sealed class SampleQualityProbe : IDisposable
{
    /// <summary>Real and generated images per score: enough for differences of about 10–20 (x10³) to be real, not sampling noise.</summary>
    public const int Images = 64;

    private readonly Tensor real;
    private readonly SwdDraws draws;
    private readonly long seed;

    public SampleQualityProbe(HeldOutImages heldOut, long seed)
    {
        real = PixelTensors.FromPixels(heldOut.Pixels, heldOut.Count, heldOut.ImageSize);
        draws = SwdDraws.FromSeed(seed, heldOut.Count, heldOut.ImageSize);
        this.seed = seed;
    }

    public SwdScore Measure(GanNetworks networks)
    {
        using var fake = FixedNoise.Sample(networks, seed, (int)real.shape[0]);
        return SlicedWassersteinDistance.Compute(real, fake, draws);
    }

    public void Dispose() => real.Dispose();
}
