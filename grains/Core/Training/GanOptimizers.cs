using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training;

/// <summary>The two Adam optimizers of a run, over the master copies of G and D, each over its network as one flat vector.</summary>
public sealed class GanOptimizers(GanNetworks networks, TrainingConfig config)
{
    public FlatAdam Discriminator { get; } = new(TensorBlock.Parameters(networks.Discriminator), config.Adam);

    public FlatAdam Generator { get; } = new(TensorBlock.Parameters(networks.Generator), config.Adam);

    /// <summary>D's step on the gradients its parameters hold, as <c>optimizerD.step()</c> takes it.</summary>
    public void StepDiscriminator() => Discriminator.StepOnTensorGradients();

    /// <summary>G's step on the gradients its parameters hold.</summary>
    public void StepGenerator() => Generator.StepOnTensorGradients();
}
