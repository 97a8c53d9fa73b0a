using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// Adam's update of a run of parameters, in one pass: each element's moments, bias correction and parameter are
/// computed while its four values are in registers. The arithmetic is <c>torch.optim.Adam</c>'s, operation for
/// operation in float32 (<c>exp_avg.mul_(β1).add_(g, alpha=1-β1)</c>, <c>exp_avg_sq.mul_(β2).addcmul_(g, g, value=1-β2)</c>,
/// <c>denom = sqrt(exp_avg_sq) / sqrt(1-β2^t) + ε</c>, <c>p.addcdiv_(exp_avg, denom, value=-lr/(1-β1^t))</c>). The
/// vector lanes and the scalar tail do exactly the same float operations, without fused multiply-adds, so an element's
/// result does not depend on where a run starts or how the work is split.
/// </summary>
public static class AdamKernel
{
    /// <summary>Below this many elements a thread's share costs more to hand out than to compute.</summary>
    public const int MinimumElementsPerThread = 1 << 16;

    /// <summary>The step's scalars, computed in double as PyTorch does and then used as float32.</summary>
    public readonly record struct StepCoefficients(float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float BiasCorrection2Sqrt, float NegativeStepSize, float Epsilon)
    {
        public static StepCoefficients For(AdamSettings settings, long step)
        {
            double biasCorrection1 = 1 - Math.Pow(settings.Beta1, step), biasCorrection2 = 1 - Math.Pow(settings.Beta2, step);
            return new StepCoefficients((float)settings.Beta1, (float)(1 - settings.Beta1), (float)settings.Beta2, (float)(1 - settings.Beta2),
                (float)Math.Sqrt(biasCorrection2), (float)(-settings.LearningRate / biasCorrection1), (float)settings.Epsilon);
        }
    }

    /// <summary>
    /// Runs <paramref name="update"/> on parts [start, end) of <paramref name="length"/> elements, split over
    /// <paramref name="threads"/> (torch's thread count when null), each part big enough to be worth a thread. The
    /// parts run on the default scheduler, not the caller's: inside a grain that is the activation's, which runs one
    /// task at a time.
    /// </summary>
    public static void ForEachPart(int length, int? threads, Action<int, int> update)
    {
        int parts = Math.Max(1, Math.Min(threads ?? get_num_threads(), length / MinimumElementsPerThread));
        if (parts == 1)
        {
            update(0, length);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, TaskScheduler = TaskScheduler.Default }, part =>
            update((int)((long)length * part / parts), (int)((long)length * (part + 1) / parts)));
    }

    /// <summary>Updates <paramref name="parameters"/> and both moments in place from <paramref name="gradients"/>; all four of one length.</summary>
    public static void Update(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> expAvg, Span<float> expAvgSq, StepCoefficients step)
    {
        int length = parameters.Length;
        if (gradients.Length != length || expAvg.Length != length || expAvgSq.Length != length)
            throw new ArgumentException($"Adam's four runs must be of one length: {length}, {gradients.Length}, {expAvg.Length}, {expAvgSq.Length}.");
        var p = MemoryMarshal.Cast<float, Vector<float>>(parameters);
        var g = MemoryMarshal.Cast<float, Vector<float>>(gradients);
        var m = MemoryMarshal.Cast<float, Vector<float>>(expAvg);
        var v = MemoryMarshal.Cast<float, Vector<float>>(expAvgSq);
        Vector<float> beta1 = new(step.Beta1), oneMinusBeta1 = new(step.OneMinusBeta1), beta2 = new(step.Beta2), oneMinusBeta2 = new(step.OneMinusBeta2),
            correction = new(step.BiasCorrection2Sqrt), stepSize = new(step.NegativeStepSize), epsilon = new(step.Epsilon);
        for (int i = 0; i < p.Length; i++)
        {
            var gi = g[i];
            var mi = m[i] * beta1 + gi * oneMinusBeta1;
            var vi = v[i] * beta2 + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] += stepSize * mi / (Vector.SquareRoot(vi) / correction + epsilon);
        }
        for (int i = p.Length * Vector<float>.Count; i < length; i++)
        {
            float gi = gradients[i];
            float mi = expAvg[i] * step.Beta1 + gi * step.OneMinusBeta1;
            float vi = expAvgSq[i] * step.Beta2 + step.OneMinusBeta2 * gi * gi;
            expAvg[i] = mi;
            expAvgSq[i] = vi;
            parameters[i] += step.NegativeStepSize * mi / (MathF.Sqrt(vi) / step.BiasCorrection2Sqrt + step.Epsilon);
        }
    }
}
