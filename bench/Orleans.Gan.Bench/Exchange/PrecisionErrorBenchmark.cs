using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// The error that half-precision gradients bring into a full-size dcgan64 run: in one averaged gradient of two workers,
/// and in the weights after some steps of <see cref="LocalTrainer"/>, which rounds its gradients as the cluster does.
/// </summary>
public static class PrecisionErrorBenchmark
{
    private const int Batch = 32;
    private static readonly GanModelConfig Model = GanModelConfig.Dcgan64;

    public static IReadOnlyList<PrecisionError> Run(int steps)
    {
        var averaged = AveragedGradients();
        using var initial = GanNetworks.Create(Model, seed: 1);
        var start = Floats(new NetworkBlocks(initial).ReadAll());
        var exactWeights = Train(WirePrecision.Float32, steps);
        var moved = Norm(exactWeights.Zip(start, (e, s) => e - s));

        return [.. new[] { WirePrecision.BFloat16, WirePrecision.Float16 }.Select(precision =>
        {
            var weights = Train(precision, steps);
            var deviation = Norm(weights.Zip(exactWeights, (w, e) => w - e));
            return new PrecisionError(precision, averaged(precision), deviation / moved, deviation / Norm(exactWeights), steps);
        })];
    }

    /// <summary>Two workers' gradients on different batches; returns the relative error of their mean in a precision.</summary>
    private static Func<WirePrecision, double> AveragedGradients()
    {
        var replicas = new List<GanNetworks>();
        try
        {
            var blocks = new List<(TensorBlock Discriminator, TensorBlock Generator)>();
            for (int worker = 0; worker < 2; worker++)
            {
                var replica = GanNetworks.Create(Model, seed: 1);
                replicas.Add(replica);
                using var step = new AdversarialStep(replica);
                using var batch = RealBatch(seed: 100 + worker);
                using var random = StepRandom.For(1, 0, worker);
                step.ComputeDiscriminatorGradients(batch, random);
                step.ComputeGeneratorGradients();
                blocks.Add((TensorBlock.Parameters(replica.Discriminator), TensorBlock.Parameters(replica.Generator)));
            }
            float[] Mean(WirePrecision precision) =>
            [
                .. Floats(GradientSum.Average(blocks.Select(b => b.Discriminator.ReadGradients(precision)).ToList(), precision)),
                .. Floats(GradientSum.Average(blocks.Select(b => b.Generator.ReadGradients(precision)).ToList(), precision)),
            ];
            var exact = Mean(WirePrecision.Float32);
            var errors = new[] { WirePrecision.BFloat16, WirePrecision.Float16 }
                .ToDictionary(p => p, p => Norm(Mean(p).Zip(exact, (r, e) => r - e)) / Norm(exact));
            return precision => errors[precision];
        }
        finally
        {
            replicas.ForEach(r => r.Dispose());
        }
    }

    private static float[] Train(WirePrecision precision, int steps)
    {
        using var trainer = new LocalTrainer(TrainingConfig.For(Model, Batch, seed: 1), gradients: precision);
        for (int step = 0; step < steps; step++)
        {
            using var batch = RealBatch(seed: 200 + step);
            trainer.TrainStep(batch);
        }
        return Floats(new NetworkBlocks(trainer.Networks).ReadAll());
    }

    private static Tensor RealBatch(long seed)
    {
        using var random = new Generator((ulong)seed);
        using var uniform = rand([Batch, 3, Model.ImageSize, Model.ImageSize], generator: random);
        return uniform * 2 - 1;
    }

    private static float[] Floats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    private static double Norm(IEnumerable<float> values) => Math.Sqrt(values.Sum(v => (double)v * v));
}
