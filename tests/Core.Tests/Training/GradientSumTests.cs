using System.Runtime.InteropServices;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

/// <summary>The averaging behind the exchange: silos add up their workers, the coordinator adds up the silos and divides once.</summary>
public sealed class GradientSumTests
{
    [Fact]
    public void Sums_of_silos_divided_once_give_the_mean_of_every_worker()
    {
        using var scope = NewDisposeScope();
        var workers = Enumerable.Range(0, 5).Select(i => randn(1003).mul(i + 1)).ToList();
        // Workers 0, 2, 4 on one silo and 1, 3 on another, as the roster deals five workers over two silos.
        var silos = new[] { new[] { 0, 2, 4 }, new[] { 1, 3 } }.Select(indices =>
        {
            var silo = new GradientSum();
            silo.Reset(1003);
            foreach (int i in indices)
                silo.Add(Bytes(workers[i]), WirePrecision.Float32);
            return (Sum: silo.Bytes.ToArray(), Count: indices.Length);
        }).ToList();

        var coordinator = new GradientSum();
        coordinator.Reset(1003);
        foreach (var (sum, count) in silos)
            coordinator.Add(sum, WirePrecision.Float32, count);
        Assert.Equal(5, coordinator.Workers);
        var mean = Floats(coordinator.Mean().Span);

        var expected = stack(workers).mean([0]);
        Assert.True(allclose(expected, tensor(mean), rtol: 1e-5, atol: 1e-6), $"max difference {(expected - tensor(mean)).abs().max().item<float>()}");
    }

    [Fact]
    public void One_worker_passes_through_bit_for_bit_and_a_reused_sum_takes_any_size_and_precision()
    {
        using var scope = NewDisposeScope();
        var sum = new GradientSum();
        var large = randn(5000);
        var small = randn(700);

        sum.Reset(5000);
        sum.Add(Bytes(large), WirePrecision.Float32);
        Assert.Equal(Bytes(large), sum.Mean().ToArray());

        // The coordinator alternates D's and G's sizes on one sum; a half-precision buffer is widened exactly.
        var rounded = small.to(ScalarType.BFloat16);
        sum.Reset(700);
        sum.Add(rounded.bytes, WirePrecision.BFloat16);
        Assert.Equal(Bytes(rounded.to(ScalarType.Float32)), sum.Mean().ToArray());

        sum.Reset(5000);
        sum.Add(Bytes(large), WirePrecision.Float32);
        sum.Add(Bytes(large), WirePrecision.Float32);
        Assert.Equal(Bytes(large), sum.Mean().ToArray());
    }

    [Fact]
    public void A_buffer_of_another_size_is_refused_naming_both_sizes()
    {
        var sum = new GradientSum();
        sum.Reset(10);
        var refused = Assert.Throws<ArgumentException>(() => sum.Add(new byte[36], WirePrecision.Float32));
        Assert.Contains("10", refused.Message);
        Assert.Contains("36", refused.Message);
        Assert.Throws<InvalidOperationException>(() => sum.Mean());
    }

    private static byte[] Bytes(Tensor values) => new TensorBlock([values]).ReadValues();

    private static float[] Floats(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
