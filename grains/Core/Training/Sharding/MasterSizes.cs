using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training.Sharding;

/// <summary>The bytes of a model's master buffers: G's parameters, both networks' batch-norm statistics, D's parameters.</summary>
public sealed record MasterSizes(int GeneratorParameterBytes, int StatisticsBytes, int DiscriminatorBytes)
{
    public static MasterSizes Of(GanNetworks networks)
    {
        var blocks = new NetworkBlocks(networks);
        return new MasterSizes(blocks.GeneratorParameters.ByteCount, blocks.StatisticsByteCount, blocks.DiscriminatorParameters.ByteCount);
    }
}
