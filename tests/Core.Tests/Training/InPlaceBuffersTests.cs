using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

/// <summary>
/// The two buffers a CPU worker no longer copies: the master's weights, which its parameters read in place, and its
/// gradients, which backward writes straight into one flat buffer. Both must give exactly what the copies gave.
/// </summary>
public sealed class InPlaceBuffersTests
{
    [Fact]
    public void Parameters_loaded_from_an_array_read_it_in_place_and_compute_what_a_copy_computes()
    {
        using var master = GanNetworks.Create(SmallModels.Dcgan64, seed: 6);
        using var worker = GanNetworks.Create(SmallModels.Dcgan64, seed: 5);
        using var batch = SmallModels.Batch(SmallModels.Dcgan64, 4, seed: 1);
        var weights = Floats(TensorBlock.Parameters(master.Discriminator).ReadValues());
        var block = TensorBlock.Parameters(worker.Discriminator);

        block.LoadValues(weights);
        master.Eval();
        worker.Eval();
        Assert.Equal(Floats(master.Discriminator.call(batch)), Floats(worker.Discriminator.call(batch)));

        // The owner steps its array: the worker reads the new values without being handed them again.
        for (int i = 0; i < weights.Length; i += 7)
            weights[i] *= 0.5f;
        Assert.Equal(weights, Floats(block.ReadValues()));

        // Another array takes the first one's place; the first no longer reaches the worker.
        var next = (float[])weights.Clone();
        block.LoadValues(next);
        weights[0] += 1;
        Assert.Equal(next, Floats(block.ReadValues()));

        Assert.Throws<ArgumentException>(() => block.LoadValues(new float[weights.Length - 1]));
    }

    [Theory]
    [InlineData(WirePrecision.Float32)]
    [InlineData(WirePrecision.BFloat16)]
    public void Backward_accumulates_into_the_flat_buffer_as_into_the_tensors_own_gradients(WirePrecision precision)
    {
        using var flat = GanNetworks.Create(SmallModels.Dcgan64, seed: 5);
        using var plain = GanNetworks.Create(SmallModels.Dcgan64, seed: 5);
        using var gradients = new ParameterGradients(TensorBlock.Parameters(flat.Discriminator));
        using var first = SmallModels.Batch(SmallModels.Dcgan64, 4, seed: 1);
        using var second = SmallModels.Batch(SmallModels.Dcgan64, 4, seed: 2);

        // Two backward passes, as D's phase takes one on the real batch and one on the fake.
        gradients.Clear();
        plain.Discriminator.zero_grad();
        foreach (var batch in new[] { first, second })
        {
            flat.Discriminator.call(batch).sum().backward();
            plain.Discriminator.call(batch).sum().backward();
        }
        var expected = TensorBlock.Parameters(plain.Discriminator).ReadGradients(precision);
        Assert.Equal(Floats(expected, precision), Floats(gradients.Read(precision).ToArray(), precision));

        // Let go, a pass through D (G's phase) leaves the buffer alone; cleared, it starts again from zeros.
        var kept = gradients.Read(precision).ToArray();
        gradients.Detach();
        flat.Discriminator.call(first).sum().backward();
        Assert.Equal(kept, gradients.Read(precision).ToArray());
        gradients.Clear();
        Assert.All(Floats(gradients.Read(WirePrecision.Float32).ToArray()), g => Assert.Equal(0f, g));
    }

    private static float[] Floats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    /// <summary>Values widened to float32 (a -0 reads equal to +0 under ==, as Assert.Equal on floats compares).</summary>
    private static float[] Floats(byte[] bytes, WirePrecision precision) =>
        precision == WirePrecision.Float32 ? Floats(bytes)
            : [.. MemoryMarshal.Cast<byte, ushort>(bytes).ToArray().Select(b => BitConverter.Int32BitsToSingle(b << 16))];

    private static float[] Floats(Tensor tensor) => tensor.detach().contiguous().data<float>().ToArray();
}
