using TorchSharp;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

/// <summary>
/// The code that moves tensors to a worker's device, run with an explicit CPU device as GPU silos run it with cuda:i:
/// it must give exactly what the default (no device) gives. The pinned buffers that carry a GPU block's bytes are
/// checked the same way, unpinned.
/// </summary>
public sealed class DeviceTests
{
    [Fact]
    public void Training_on_an_explicit_CPU_device_is_bit_identical_to_the_default()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var byDefault = new LocalTrainer(config);
        using var explicitCpu = new LocalTrainer(config, device("cpu"));
        for (int step = 0; step < 2; step++)
        {
            using var pixels = PixelTensors.FromPixels(Pixels(config.BatchSize, seed: step), config.BatchSize, 64);
            using var onDevice = PixelTensors.FromPixels(Pixels(config.BatchSize, seed: step), config.BatchSize, 64, device("cpu"));
            Assert.True(pixels.eq(onDevice).all().item<bool>(), "a batch converted on the device equals one converted by default");
            byDefault.TrainStep(pixels);
            explicitCpu.TrainStep(onDevice);
        }
        Assert.Equal("cpu", explicitCpu.Networks.Device.ToString());
        Assert.Equal(SmallModels.Weights(byDefault.Networks), SmallModels.Weights(explicitCpu.Networks));
        using var faces = FixedNoise.Sample(explicitCpu.Networks, seed: 3, count: 4);
        Assert.Equal(DeviceType.CPU, faces.device_type);
    }

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

    private static byte[] Pixels(int count, int seed)
    {
        var pixels = new byte[count * 3 * 64 * 64];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }
}
