using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training;

/// <summary>The four buffers that travel between coordinator and workers: each network's parameters and statistics.</summary>
public sealed class NetworkBlocks(GanNetworks networks)
{
    public TensorBlock GeneratorParameters { get; } = TensorBlock.Parameters(networks.Generator);

    public TensorBlock DiscriminatorParameters { get; } = TensorBlock.Parameters(networks.Discriminator);

    public TensorBlock GeneratorStatistics { get; } = TensorBlock.RunningStatistics(networks.Generator);

    public TensorBlock DiscriminatorStatistics { get; } = TensorBlock.RunningStatistics(networks.Discriminator);

    /// <summary>All four buffers back to back: a whole replica's state, for copying or comparing bit for bit.</summary>
    public byte[] ReadAll() =>
        [.. GeneratorParameters.ReadValues(), .. DiscriminatorParameters.ReadValues(), .. GeneratorStatistics.ReadValues(), .. DiscriminatorStatistics.ReadValues()];

    /// <summary>Makes <paramref name="target"/> hold exactly these networks' parameters and statistics.</summary>
    public void CopyTo(NetworkBlocks target)
    {
        target.GeneratorParameters.WriteValues(GeneratorParameters.ReadValues());
        target.DiscriminatorParameters.WriteValues(DiscriminatorParameters.ReadValues());
        target.GeneratorStatistics.WriteValues(GeneratorStatistics.ReadValues());
        target.DiscriminatorStatistics.WriteValues(DiscriminatorStatistics.ReadValues());
    }
}
