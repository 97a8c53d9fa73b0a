using Orleans.Gan.Core.Models;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// The single-process training loop: the reference that a cluster run must reproduce bit for bit. One step reads top
/// to bottom as in PyTorch's DCGAN example: D's gradients, D's Adam step, G's gradients through the new D, G's Adam step.
/// </summary>
public sealed class LocalTrainer : IDisposable
{
    private readonly AdversarialStep step;

    public LocalTrainer(TrainingConfig config)
    {
        Config = config.Validate();
        Networks = GanNetworks.Create(config.Model, config.Seed);
        Optimizers = new GanOptimizers(Networks, config);
        step = new AdversarialStep(Networks);
    }

    public TrainingConfig Config { get; }

    public GanNetworks Networks { get; }

    public GanOptimizers Optimizers { get; }

    /// <summary>Steps taken so far; the next step's noise and dropout are drawn from (seed, this, worker 0).</summary>
    public long StepsDone { get; set; }

    public StepMetrics TrainStep(Tensor realBatch)
    {
        using var random = StepRandom.For(Config.Seed, StepsDone, worker: 0);
        step.ComputeDiscriminatorGradients(realBatch, random);
        Optimizers.StepDiscriminator();
        var metrics = step.ComputeGeneratorGradients();
        Optimizers.StepGenerator();
        StepsDone++;
        return metrics;
    }

    public void Dispose()
    {
        step.Dispose();
        Optimizers.Dispose();
        Networks.Dispose();
    }
}
