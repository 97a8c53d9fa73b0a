using System.Globalization;

namespace Orleans.Gan.Core.Models;

/// <summary>Everything that fixes the shape of G and D, and the one-sided label smoothing that D trains with.</summary>
/// <param name="NoiseSize">nz, the length of the noise vector z.</param>
/// <param name="GeneratorFeatures">ngf: the width of G's last hidden layer; earlier layers are multiples of it.</param>
/// <param name="DiscriminatorFeatures">ndf: the width of D's first layer; later layers are multiples of it.</param>
/// <param name="Dropout">The dropout rate after every hidden layer of G; 0 turns it off.</param>
/// <param name="RealLabel">The target D is trained towards on real images; below 1 is one-sided label smoothing.</param>
public sealed record GanModelConfig(
    GanArchitecture Architecture,
    int NoiseSize,
    int GeneratorFeatures,
    int DiscriminatorFeatures,
    double Dropout,
    double RealLabel)
{
    /// <summary>The side of the square RGB images G makes and D reads.</summary>
    public int ImageSize => Architecture == GanArchitecture.Dcgan64 ? 64 : 28;

    /// <summary>PyTorch's reference DCGAN: nz 100, ngf = ndf = 64, no dropout, hard labels.</summary>
    public static GanModelConfig Dcgan64 { get; } = new(GanArchitecture.Dcgan64, 100, 64, 64, 0.0, 1.0);

    /// <summary>
    /// The tutorial's model as it trains to faces here: its dropout in G and 0.9 as the real label, with G a quarter of
    /// the tutorial's width (ngf 64: 256→128→64→3 where the tutorial has ngf 256, 1024→512→256→3) and D half of it
    /// (ndf 32), which keeps D from overpowering G and makes steps short on a CPU: 0.31 s for 64 images on 2 silos
    /// here, where the tutorial's widths take about 4.4 s in one process (README, "The tutorial's model, trained to
    /// faces"). <c>--ngf 256 --ndf 64</c> gives the tutorial's widths.
    /// </summary>
    public static GanModelConfig Tutorial28 { get; } = new(GanArchitecture.Tutorial28, 100, 64, 32, 0.3, 0.9);

    public static GanModelConfig For(GanArchitecture architecture) =>
        architecture == GanArchitecture.Dcgan64 ? Dcgan64 : Tutorial28;

    /// <summary>The architecture and every width, as messages show them.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Architecture.ToString().ToLowerInvariant()} (nz {NoiseSize}, ngf {GeneratorFeatures}, ndf {DiscriminatorFeatures}, dropout {Dropout}, real label {RealLabel})");

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public GanModelConfig Validate()
    {
        if (!Enum.IsDefined(Architecture))
            throw new ArgumentException($"Unknown architecture {Architecture}.", nameof(Architecture));
        if (NoiseSize < 1)
            throw new ArgumentException($"The noise size must be at least 1, not {NoiseSize}.", nameof(NoiseSize));
        if (GeneratorFeatures < 1)
            throw new ArgumentException($"The generator width must be at least 1, not {GeneratorFeatures}.", nameof(GeneratorFeatures));
        if (DiscriminatorFeatures < 1)
            throw new ArgumentException($"The discriminator width must be at least 1, not {DiscriminatorFeatures}.", nameof(DiscriminatorFeatures));
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout))
            throw new ArgumentException($"The dropout rate must be in [0, 1), not {Dropout}.", nameof(Dropout));
        if (RealLabel is <= 0.5 or > 1 || double.IsNaN(RealLabel))
            throw new ArgumentException($"The real label must be in (0.5, 1], not {RealLabel}.", nameof(RealLabel));
        return this;
    }
}
