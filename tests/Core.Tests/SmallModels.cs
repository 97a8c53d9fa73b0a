using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests;

/// <summary>Narrow versions of both architectures, so that training tests take milliseconds a step.</summary>
internal static class SmallModels
{
    public static GanModelConfig Tutorial28 { get; } = GanModelConfig.Tutorial28 with { NoiseSize = 16, GeneratorFeatures = 8, DiscriminatorFeatures = 8 };

    public static GanModelConfig Dcgan64 { get; } = GanModelConfig.Dcgan64 with { NoiseSize = 16, GeneratorFeatures = 8, DiscriminatorFeatures = 8 };

    public static TrainingConfig Training(GanModelConfig model, long seed = 7, int batchSize = 8) =>
        TrainingConfig.For(model, batchSize, seed);

    /// <summary>A deterministic stand-in batch in [-1, 1] for tests about the optimizer, not the data.</summary>
    public static Tensor Batch(GanModelConfig model, int batchSize, long seed)
    {
        using var random = new Generator((ulong)seed);
        return rand([batchSize, 3, model.ImageSize, model.ImageSize], generator: random) * 2 - 1;
    }

    /// <summary>Every parameter and running statistic of both networks, for bit-for-bit comparisons.</summary>
    public static byte[] Weights(GanNetworks networks) => new NetworkBlocks(networks).ReadAll();
}
