using Orleans.Gan.Core.Models;
using TorchSharp.Modules;
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

    /// <summary>
    /// Faces for noise drawn from <paramref name="random"/>, in [-1, 1], shape [count, 3, S, S]. Batch norm normalises
    /// with the sample batch's own statistics, as PyTorch's DCGAN example draws its fixed-noise grids: early in training
    /// the running statistics lag far behind G and turn every face into the same grey. The running statistics are
    /// restored afterwards, so sampling never changes the model; dropout is off.
    /// </summary>
    public static Tensor Sample(GanNetworks networks, Generator random, int count)
    {
        using var noGrad = no_grad();
        // Drawn on the CPU, as every step's noise is, so a seed gives the same faces on every device.
        using var drawn = randn([count, networks.Config.NoiseSize], generator: random);
        using var noise = drawn.to(networks.Device);
        var generator = networks.Generator;
        bool training = generator.training;
        var statistics = TensorBlock.RunningStatistics(generator);
        var saved = statistics.ReadValues();
        var counters = generator.buffers().Where(b => b.dtype == ScalarType.Int64).ToList();
        var savedCounters = counters.Select(c => c.clone()).ToList();
        generator.eval();
        foreach (var norm in generator.modules().OfType<BatchNorm2d>())
            norm.train();
        try
        {
            return generator.call(noise);
        }
        finally
        {
            statistics.WriteValues(saved);
            foreach (var (counter, value) in counters.Zip(savedCounters))
                counter.copy_(value);
            savedCounters.ForEach(c => c.Dispose());
            generator.train(training);
        }
    }
}
