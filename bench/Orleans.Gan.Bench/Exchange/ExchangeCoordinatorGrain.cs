using System.Diagnostics;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Placement;
using Orleans.Gan.Grains.Training;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>The messages and copies of CoordinatorGrain's step, in its order, without the Adam steps.</summary>
[SiloNamePlacement]
public sealed class ExchangeCoordinatorGrain(IGrainFactory grains) : Grain, IExchangeCoordinatorGrain
{
    public async Task<List<ExchangeSample>> Measure(string workerKey, GradientPrecision precision, int warmup, int repeats)
    {
        var wire = precision.ToCore();
        using var master = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 1);
        var blocks = new NetworkBlocks(master);
        var worker = grains.GetGrain<IExchangeWorkerGrain>(workerKey);
        await worker.Prepare(precision);
        var samples = new List<ExchangeSample>();
        for (int step = 0; step < warmup + repeats; step++)
        {
            var total = Stopwatch.StartNew();
            var local = Stopwatch.StartNew();
            var weights = WeightSets.Read(blocks, step);
            local.Stop();
            var discriminator = await worker.ComputeDiscriminatorGradients(new DiscriminatorPhaseRequest(step, 0, 0, weights));
            local.Start();
            blocks.DiscriminatorParameters.WriteGradients(GradientAverager.Average([discriminator.Gradients], wire));
            var newDiscriminator = blocks.DiscriminatorParameters.ReadValues();
            local.Stop();
            var generator = await worker.ComputeGeneratorGradients(new GeneratorPhaseRequest(step, newDiscriminator));
            local.Start();
            blocks.GeneratorParameters.WriteGradients(GradientAverager.Average([generator.Gradients], wire));
            blocks.GeneratorStatistics.WriteValues(GradientAverager.Average([generator.GeneratorStatistics]));
            blocks.DiscriminatorStatistics.WriteValues(GradientAverager.Average([generator.DiscriminatorStatistics]));
            local.Stop();
            total.Stop();
            if (step < warmup)
                continue;
            long bytes = weights.Bytes + discriminator.Gradients.Length + newDiscriminator.Length + generator.Gradients.Length
                + generator.GeneratorStatistics.Length + generator.DiscriminatorStatistics.Length;
            samples.Add(new ExchangeSample(total.Elapsed.TotalSeconds, local.Elapsed.TotalSeconds,
                discriminator.Timing.ComputeSeconds + generator.Timing.ComputeSeconds, bytes));
        }
        await worker.Release();
        return samples;
    }
}
