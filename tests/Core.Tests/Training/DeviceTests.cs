using TorchSharp;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

/// <summary>
/// The pinned buffers that carry a GPU block's bytes, run unpinned on the CPU: they must read and write exactly what
/// the direct copy does. (A LocalTrainer on an explicit CPU device runs the same code as the default one, so comparing
/// the two could not fail; it is not tested.)
/// </summary>
public sealed class DeviceTests
{
    [Theory]
    [InlineData(WirePrecision.Float32)]
    [InlineData(WirePrecision.BFloat16)]
    public void Host_staging_reads_and_writes_the_same_bytes_as_the_direct_copy(WirePrecision precision)
    {
        using var networks = GanNetworks.Create(SmallModels.Dcgan64, seed: 5);
        var parameters = networks.Discriminator.parameters().ToList();
        using (var batch = SmallModels.Batch(SmallModels.Dcgan64, 4, seed: 1))
            networks.Discriminator.call(batch).sum().backward();
        var block = TensorBlock.Parameters(networks.Discriminator);
        var staging = new HostStaging(parameters);

        var direct = block.ReadGradients(precision);
        var staged = new byte[direct.Length];
        staging.Read(parameters.Select(p => p.grad!), precision.ElementType(), staged);
        Assert.Equal(direct, staged);
        // Twice, through the same host buffer: a reused buffer holds nothing of the last read.
        staging.Read(parameters.Select(p => p.grad!), precision.ElementType(), staged);
        Assert.Equal(direct, staged);

        var values = block.ReadValues();
        using var other = GanNetworks.Create(SmallModels.Dcgan64, seed: 6);
        var otherParameters = other.Discriminator.parameters().ToList();
        new HostStaging(otherParameters).Write(values, otherParameters);
        Assert.Equal(values, TensorBlock.Parameters(other.Discriminator).ReadValues());
    }
}
