using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training;

/// <summary>The four buffers that travel between coordinator and workers: each network's parameters and statistics.</summary>
public sealed class NetworkBlocks(GanNetworks networks)
{
    public TensorBlock GeneratorParameters { get; } = TensorBlock.Parameters(networks.Generator);

    public TensorBlock DiscriminatorParameters { get; } = TensorBlock.Parameters(networks.Discriminator);

    public TensorBlock GeneratorStatistics { get; } = TensorBlock.RunningStatistics(networks.Generator);

    public TensorBlock DiscriminatorStatistics { get; } = TensorBlock.RunningStatistics(networks.Discriminator);
}
