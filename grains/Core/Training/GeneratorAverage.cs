using System.Numerics;
using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// G_ema: an exponential moving average of G's parameters, kept beside the master as NVlabs' StyleGAN2-ADA
/// <c>training_loop.py</c> keeps it, because it draws cleaner faces than G itself. After each step, with the global
/// batch b and the images seen before the step n, its half-life is <c>K·1000</c> images (or <c>n·R</c> while that is
/// smaller, with a ramp-up R), β = 0.5^(b / half-life), every parameter becomes <c>p.lerp(p_ema, β)</c>, and the
/// batch-norm statistics are copied from G. Its own networks (<see cref="Networks"/>, whose D is not used) serve the
/// sampler, the grids and the score.
/// </summary>
public sealed class GeneratorAverage : IDisposable
{
    private readonly TensorBlock generatorParameters;
    private readonly TensorBlock generatorStatistics;
    private readonly TensorBlock averageParameters;
    private readonly TensorBlock averageStatistics;

    /// <summary>Starts as a copy of <paramref name="master"/>'s G, on the CPU.</summary>
    public GeneratorAverage(GanNetworks master, long seed, AverageSettings settings)
    {
        Settings = settings.Validate();
        Networks = GanNetworks.Create(master.Config, seed);
        generatorParameters = TensorBlock.Parameters(master.Generator);
        generatorStatistics = TensorBlock.RunningStatistics(master.Generator);
        averageParameters = TensorBlock.Parameters(Networks.Generator);
        averageStatistics = TensorBlock.RunningStatistics(Networks.Generator);
        if (!generatorParameters.IsInHostMemory || !averageParameters.IsInHostMemory)
            throw new ArgumentException("G_ema is kept beside a master in host memory.", nameof(master));
        CopyFromGenerator();
    }

    public AverageSettings Settings { get; }

    /// <summary>G_ema as a generator to sample from; its D is a placeholder.</summary>
    public GanNetworks Networks { get; }

    /// <summary>Makes G_ema equal to G, as when a run starts or continues from a checkpoint that has none.</summary>
    public void CopyFromGenerator()
    {
        averageParameters.WriteValues(generatorParameters.ReadValues());
        averageStatistics.WriteValues(generatorStatistics.ReadValues());
    }

    /// <summary>G_ema's parameters, flat in G's order, into a buffer the caller gives.</summary>
    public void ReadParameters(Span<byte> destination) => averageParameters.ReadValues(destination);

    /// <summary>Sets G_ema's parameters, flat in G's order, and copies the statistics from G.</summary>
    public void Load(ReadOnlySpan<byte> parameters)
    {
        averageParameters.WriteValues(parameters);
        averageStatistics.WriteValues(generatorStatistics.ReadValues());
    }

    /// <summary>One step's update, after G's optimizer step.</summary>
    /// <param name="imagesBefore">Images all workers had trained on before this step.</param>
    /// <param name="globalBatch">Images of this step, all workers together.</param>
    public void Update(long imagesBefore, int globalBatch)
    {
        float beta = Settings.Beta(imagesBefore, globalBatch);
        foreach (var (source, target) in generatorParameters.Segments.Zip(averageParameters.Segments))
            Lerp(MemoryMarshal.Cast<byte, float>(source.Tensor.bytes), MemoryMarshal.Cast<byte, float>(target.Tensor.bytes), beta);
        averageStatistics.WriteValues(generatorStatistics.ReadValues());
    }

    public void Dispose() => Networks.Dispose();

    /// <summary>
    /// <c>average = generator.lerp(average, β)</c> with torch's formula: <c>self + w·(end - self)</c> for w below 0.5,
    /// else <c>end - (end - self)·(1 - w)</c>, which keeps the result exact at w = 1.
    /// </summary>
    public static void Lerp(ReadOnlySpan<float> generator, Span<float> average, float beta)
    {
        var g = MemoryMarshal.Cast<float, Vector<float>>(generator);
        var a = MemoryMarshal.Cast<float, Vector<float>>(average);
        bool low = beta < 0.5f;
        float weight = low ? beta : 1 - beta;
        var w = new Vector<float>(weight);
        for (int i = 0; i < a.Length; i++)
            a[i] = low ? g[i] + w * (a[i] - g[i]) : a[i] - (a[i] - g[i]) * w;
        for (int i = a.Length * Vector<float>.Count; i < average.Length; i++)
            average[i] = low ? generator[i] + weight * (average[i] - generator[i]) : average[i] - (average[i] - generator[i]) * weight;
    }
}
