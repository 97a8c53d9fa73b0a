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
    private readonly GradientSum widened = new();

    /// <param name="device">Where the networks live, the CPU when null; batches must be handed in on it.</param>
    /// <param name="gradients">Rounds every gradient to this precision and back before its Adam step, as a cluster run
    /// with that wire precision does, so that one worker on the cluster still matches this loop bit for bit.</param>
    public LocalTrainer(TrainingConfig config, Device? device = null, WirePrecision gradients = WirePrecision.Float32)
    {
        Config = config.Validate();
        GradientPrecision = gradients;
        Networks = GanNetworks.Create(config.Model, config.Seed, device);
        Optimizers = new GanOptimizers(Networks, config);
        step = new AdversarialStep(Networks);
    }

    public TrainingConfig Config { get; }

    public WirePrecision GradientPrecision { get; }

    public GanNetworks Networks { get; }

    public GanOptimizers Optimizers { get; }

    /// <summary>Steps taken so far; the next step's noise and dropout are drawn from (seed, this, worker 0).</summary>
    public long StepsDone { get; set; }

    public StepMetrics TrainStep(Tensor realBatch)
    {
        using var random = StepRandom.For(Config.Seed, StepsDone, worker: 0);
        step.ComputeDiscriminatorGradients(realBatch, random);
        StepAsOnTheWire(Optimizers.Discriminator, step.DiscriminatorGradients);
        var metrics = step.ComputeGeneratorGradients();
        StepAsOnTheWire(Optimizers.Generator, step.GeneratorGradients);
        StepsDone++;
        return metrics;
    }

    public void Dispose()
    {
        step.Dispose();
        Networks.Dispose();
    }

    private void StepAsOnTheWire(FlatAdam adam, ParameterGradients gradients)
    {
        var sent = gradients.Read(GradientPrecision);
        if (GradientPrecision != WirePrecision.Float32)
        {
            widened.SumOf([sent], GradientPrecision);
            sent = widened.Mean();
        }
        adam.Step(sent);
    }
}
