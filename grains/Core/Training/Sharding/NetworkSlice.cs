using System.Runtime.InteropServices;

namespace Orleans.Gan.Core.Training.Sharding;

/// <summary>
/// One network's slice of the master as a shard holds it: Adam's moments over the slice, G_ema's values there (G
/// only), and all of it as it was before the step in flight, so that the step can be taken back. The slice's
/// parameters themselves live in the shard's copy of the whole network, which its workers read.
/// </summary>
public sealed class NetworkSlice
{
    private readonly AdamSettings adam;
    private readonly int? threads;
    private readonly float[] expAvg, expAvgSq;
    private readonly float[]? average;
    private readonly float[] valuesBefore, expAvgBefore, expAvgSqBefore;
    private readonly float[]? averageBefore;
    private long stepsBefore;

    /// <param name="elements">The slice's elements in the network's flat order.</param>
    /// <param name="whole">The network's whole Adam state, of which this slice keeps its part.</param>
    /// <param name="wholeAverage">G_ema's parameters over the whole of G, or null.</param>
    /// <param name="threads">Threads a step is split over; null takes torch's thread count.</param>
    public NetworkSlice(Range elements, AdamMoments whole, float[]? wholeAverage, AdamSettings adam, int? threads)
    {
        (Elements, this.adam, this.threads) = (elements, adam, threads);
        expAvg = whole.ExpAvg[elements];
        expAvgSq = whole.ExpAvgSq[elements];
        average = wholeAverage?[elements];
        Steps = whole.Steps;
        int length = expAvg.Length;
        (valuesBefore, expAvgBefore, expAvgSqBefore) = (new float[length], new float[length], new float[length]);
        averageBefore = average is null ? null : new float[length];
    }

    public Range Elements { get; }

    public long Steps { get; private set; }

    public ReadOnlySpan<float> ExpAvg => expAvg;

    public ReadOnlySpan<float> ExpAvgSq => expAvgSq;

    /// <summary>G_ema's values over the slice; empty where the run keeps none.</summary>
    public ReadOnlySpan<float> Average => average;

    public bool HasAverage => average is not null;

    /// <summary>Keeps the slice as it is now, before its step; <paramref name="values"/> are the slice's parameters.</summary>
    public void Capture(ReadOnlySpan<float> values)
    {
        values.CopyTo(valuesBefore);
        expAvg.CopyTo(expAvgBefore);
        expAvgSq.CopyTo(expAvgSqBefore);
        average?.CopyTo(averageBefore!, 0);
        stepsBefore = Steps;
    }

    /// <summary>Puts the slice back as it was last captured.</summary>
    public void Restore(Span<float> values)
    {
        valuesBefore.CopyTo(values);
        expAvgBefore.CopyTo(expAvg, 0);
        expAvgSqBefore.CopyTo(expAvgSq, 0);
        averageBefore?.CopyTo(average!, 0);
        Steps = stepsBefore;
    }

    /// <summary>
    /// Adam's step on the slice from the workers' mean gradients over it, then, where there is a G_ema, its update
    /// toward the new values with <paramref name="averageBeta"/>: both elementwise, so each element comes out as from
    /// the same step over the whole network.
    /// </summary>
    /// <param name="network">The whole network's parameters, whose slice is updated in place.</param>
    public void Step(Memory<float> network, ReadOnlyMemory<byte> meanGradients, float? averageBeta)
    {
        int start = Elements.Start.Value, length = expAvg.Length;
        if (meanGradients.Length != length * sizeof(float))
            throw new ArgumentException($"Expected {length} float32 gradients for the slice, got {meanGradients.Length} bytes.", nameof(meanGradients));
        if (averageBeta is not null && average is null)
            throw new InvalidOperationException("This slice keeps no G_ema to update.");
        Steps++;
        var coefficients = AdamKernel.StepCoefficients.For(adam, Steps);
        var values = network.Slice(start, length);
        AdamKernel.ForEachPart(length, threads, (from, to) =>
        {
            var parameters = values.Span[from..to];
            AdamKernel.Update(parameters, MemoryMarshal.Cast<byte, float>(meanGradients.Span)[from..to], expAvg.AsSpan(from..to), expAvgSq.AsSpan(from..to), coefficients);
            if (averageBeta is float beta)
                GeneratorAverage.Lerp(parameters, average.AsSpan(from..to), beta);
        });
    }

    /// <summary>Copies the slice's moments and G_ema into the whole network's arrays, where a gathered master is assembled.</summary>
    public void CopyTo(AdamMoments whole, float[]? wholeAverage)
    {
        expAvg.CopyTo(whole.ExpAvg.AsSpan(Elements));
        expAvgSq.CopyTo(whole.ExpAvgSq.AsSpan(Elements));
        if (wholeAverage is not null && average is not null)
            average.CopyTo(wholeAverage.AsSpan(Elements));
    }
}
