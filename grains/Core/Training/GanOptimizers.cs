using Orleans.Gan.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>The two Adam optimizers of a run, over the master copies of G and D.</summary>
public sealed class GanOptimizers : IDisposable
{
    public GanOptimizers(GanNetworks networks, TrainingConfig config)
    {
        Discriminator = optim.Adam(networks.Discriminator.parameters(), config.LearningRate, config.Beta1, config.Beta2);
        Generator = optim.Adam(networks.Generator.parameters(), config.LearningRate, config.Beta1, config.Beta2);
    }

    public Adam Discriminator { get; }

    public Adam Generator { get; }

    public void StepDiscriminator() => Discriminator.step();

    public void StepGenerator() => Generator.step();

    public void Dispose()
    {
        Discriminator.Dispose();
        Generator.Dispose();
    }
}
