using Orleans.Gan.Core.Models;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>Faces from G in eval mode for noise fixed by the run's seed, so that grids of one run are comparable over time.</summary>
public static class FixedNoise
{
    public static Tensor Sample(GanNetworks networks, long seed, int count)
    {
        using var random = StepRandom.ForFixedNoise(seed);
        return Sample(networks, random, count);
    }

    /// <summary>Faces for noise drawn from <paramref name="random"/>, in [-1, 1], shape [count, 3, S, S].</summary>
    public static Tensor Sample(GanNetworks networks, Generator random, int count)
    {
        using var noGrad = no_grad();
        using var noise = randn([count, networks.Config.NoiseSize], generator: random);
        bool training = networks.Generator.training;
        networks.Generator.eval();
        try
        {
            return networks.Generator.call(noise);
        }
        finally
        {
            networks.Generator.train(training);
        }
    }
}
