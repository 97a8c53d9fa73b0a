using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

public sealed class DiscriminatorUndoTests
{
    /// <summary>
    /// A step abandoned after D's Adam step and undone leaves D as if the step had never been taken: the next step
    /// gives bit for bit the weights and Adam state of a master that never saw it, so a stop checkpoint written after
    /// the undo resumes exactly.
    /// </summary>
    [Fact]
    public void An_undone_step_leaves_D_and_its_Adam_state_as_if_it_had_never_been_taken()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var undone = new Master(config);
        using var untouched = new Master(config);
        for (int step = 0; step < 3; step++)
        {
            undone.StepDiscriminator(seed: step);
            untouched.StepDiscriminator(seed: step);
        }

        var before = undone.Parameters.ReadValues();
        var undo = new DiscriminatorUndo(undone.Optimizers.Discriminator);
        undo.Capture();
        undone.StepDiscriminator(seed: 99);
        Assert.NotEqual(before, undone.Parameters.ReadValues());
        undo.Restore(before);

        Assert.Equal(untouched.Parameters.ReadValues(), undone.Parameters.ReadValues());
        Assert.Equal(untouched.AdamState(), undone.AdamState());
        undone.StepDiscriminator(seed: 3);
        untouched.StepDiscriminator(seed: 3);
        Assert.Equal(untouched.Parameters.ReadValues(), undone.Parameters.ReadValues());
        Assert.Equal(untouched.AdamState(), undone.AdamState());
    }

    /// <summary>A coordinator's master: the networks, their Adams and D's parameters as one block.</summary>
    private sealed class Master : IDisposable
    {
        private readonly GanNetworks networks;

        public Master(TrainingConfig config)
        {
            networks = GanNetworks.Create(config.Model, config.Seed);
            Optimizers = new GanOptimizers(networks, config);
            Parameters = TensorBlock.Parameters(networks.Discriminator);
        }

        public GanOptimizers Optimizers { get; }

        public TensorBlock Parameters { get; }

        /// <summary>D's Adam step on gradients drawn from <paramref name="seed"/>, as the coordinator takes it on the workers' mean.</summary>
        public void StepDiscriminator(long seed)
        {
            var generator = new Generator().manual_seed(seed);
            foreach (var parameter in networks.Discriminator.parameters())
                parameter.grad = randn(parameter.shape, generator: generator);
            Optimizers.StepDiscriminator();
        }

        /// <summary>D's Adam state, its step count then both moments, as bytes.</summary>
        public byte[] AdamState()
        {
            var adam = Optimizers.Discriminator;
            return [.. BitConverter.GetBytes(adam.Steps), .. MemoryMarshal.AsBytes(adam.ExpAvg), .. MemoryMarshal.AsBytes(adam.ExpAvgSq)];
        }

        public void Dispose() => networks.Dispose();
    }
}
