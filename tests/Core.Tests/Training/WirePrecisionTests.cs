using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

public sealed class WirePrecisionTests
{
    [Fact]
    public void Half_precision_gradients_take_two_bytes_each_and_round_to_nearest_even()
    {
        // 1 + 2⁻⁸ is halfway between two bfloat16 values and rounds to the even one, 1; 1 + 3·2⁻⁸ rounds up to 1 + 2⁻⁶.
        float[] values = [1f, 1f + 1f / 256, 1f + 3f / 256, -2.5f, 1e-30f, 70_000f];
        using var parameter = zeros(values.Length).requires_grad_();
        parameter.grad = tensor(values);
        var block = new TensorBlock([parameter]);

        var bf16 = block.ReadGradients(WirePrecision.BFloat16);
        var fp16 = block.ReadGradients(WirePrecision.Float16);

        Assert.Equal(values.Length * 2, bf16.Length);
        Assert.Equal(values.Length * 2, fp16.Length);
        Assert.Equal([0x80, 0x3F], bf16[..2]); // 1.0 is 0x3F80
        var widened = Widened(bf16, WirePrecision.BFloat16);
        Assert.Equal([1f, 1f, 1f + 1f / 64, -2.5f], widened[..4]);
        Assert.InRange(widened[4], 1e-30f * (1 - 1f / 256), 1e-30f * (1 + 1f / 256)); // bfloat16 keeps float32's range
        Assert.Equal(70_144f, widened[5]); // the nearest multiple of 512, bfloat16's spacing above 2¹⁶
        // float16 keeps more digits but not the range: 1e-30 underflows to 0 and 70,000 overflows.
        Assert.Equal([1f, 1f + 1f / 256, 1f + 3f / 256, -2.5f, 0f, float.PositiveInfinity], Widened(fp16, WirePrecision.Float16));
    }

    [Theory]
    [InlineData(WirePrecision.BFloat16, 1.0 / 256)]
    [InlineData(WirePrecision.Float16, 1.0 / 2048)]
    public void Averaged_half_precision_gradients_are_within_one_rounding_of_the_float32_average(WirePrecision precision, double bound)
    {
        using var workers = new TwoWorkers();

        foreach (var perWorker in new[] { workers.Discriminator, workers.Generator })
        {
            var exact = Floats(GradientSum.Average(perWorker.Select(w => w.ReadGradients()).ToList()));
            var rounded = Floats(GradientSum.Average(perWorker.Select(w => w.ReadGradients(precision)).ToList(), precision));

            double error = RelativeError(rounded, exact);
            // Each gradient is off by at most half a unit in its last place, 2⁻⁸ (bfloat16) or 2⁻¹¹ (float16) of itself;
            // float16's underflow of values below 6e-8 is too small to count. Zero would mean nothing was rounded.
            Assert.InRange(error, 1e-6, bound);
        }
    }

    [Theory]
    [InlineData(WirePrecision.BFloat16, 0.005)]
    [InlineData(WirePrecision.Float16, 0.0005)]
    public void Training_on_half_precision_gradients_moves_the_weights_almost_as_float32_does(WirePrecision precision, double bound)
    {
        var model = SmallModels.Dcgan64;
        using var initial = GanNetworks.Create(model, seed: 7);
        var start = Floats(SmallModels.Weights(initial));

        var exact = Floats(Train(model, WirePrecision.Float32));
        var rounded = Floats(Train(model, precision));

        // Measured against how far the weights moved, not against the weights, which 6 steps of Adam barely change.
        // Measured: 0.0013 (bfloat16) and 0.00007 (float16); Adam's per-element normalisation keeps it near the gradients' rounding.
        var moved = exact.Zip(start, (e, s) => e - s).ToArray();
        var deviation = rounded.Zip(exact, (r, e) => r - e).ToArray();
        double ratio = Norm(deviation) / Norm(moved);
        Assert.InRange(ratio, 1e-7, bound);
    }

    private static byte[] Train(GanModelConfig model, WirePrecision precision)
    {
        using var trainer = new LocalTrainer(SmallModels.Training(model), gradients: precision);
        for (int step = 0; step < 6; step++)
        {
            using var batch = SmallModels.Batch(model, 8, seed: 60 + step);
            trainer.TrainStep(batch);
        }
        return SmallModels.Weights(trainer.Networks);
    }

    /// <summary>Two replicas that computed D's and G's gradients on different batches, and their gradient blocks.</summary>
    private sealed class TwoWorkers : IDisposable
    {
        private readonly List<IDisposable> owned = [];

        public TwoWorkers()
        {
            var model = SmallModels.Dcgan64;
            for (int worker = 0; worker < 2; worker++)
            {
                var networks = GanNetworks.Create(model, seed: 3);
                var step = new AdversarialStep(networks);
                owned.Add(networks);
                owned.Add(step);
                using var batch = SmallModels.Batch(model, 8, seed: 20 + worker);
                using var random = StepRandom.For(3, 0, worker);
                step.ComputeDiscriminatorGradients(batch, random);
                step.ComputeGeneratorGradients();
                Discriminator[worker] = TensorBlock.Parameters(networks.Discriminator);
                Generator[worker] = TensorBlock.Parameters(networks.Generator);
            }
        }

        public TensorBlock[] Discriminator { get; } = new TensorBlock[2];

        public TensorBlock[] Generator { get; } = new TensorBlock[2];

        public void Dispose() => owned.ForEach(o => o.Dispose());
    }

    private static float[] Widened(byte[] packed, WirePrecision precision) => Floats(GradientSum.Average([packed], precision));

    private static float[] Floats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    private static double RelativeError(float[] actual, float[] expected) =>
        Norm(actual.Zip(expected, (a, e) => a - e).ToArray()) / Norm(expected);

    private static double Norm(float[] values) => Math.Sqrt(values.Sum(v => (double)v * v));

}
