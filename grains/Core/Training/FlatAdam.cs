using System.Runtime.InteropServices;
namespace Orleans.Gan.Core.Training;

/// <summary>
/// Adam over one network's parameters taken as a single flat vector, in the block's order: the update of
/// <c>torch.optim.Adam</c> (no weight decay, no amsgrad), applied in one pass over memory with <see cref="AdamKernel"/>
/// instead of the dozens of small tensor operations a per-tensor optimizer makes for each parameter. Both moments live
/// in flat arrays; CPU parameters are updated in place in their tensors' memory. The work is split across torch's
/// threads, and every element is computed the same way whatever the split, so the result does not depend on the
/// thread count. The cluster's coordinator and <see cref="LocalTrainer"/> both step with this class, which keeps them
/// bit-identical for the same gradients.
/// </summary>
public sealed class FlatAdam
{
    private readonly TensorBlock parameters;
    private readonly AdamSettings settings;
    private readonly float[] expAvg;
    private readonly float[] expAvgSq;
    // Parameters whose memory .NET cannot update in place (on a GPU, or not contiguous) are stepped here and written back.
    private readonly float[]? hostValues;
    private readonly int? threads;
    private byte[] gradients = [];

    /// <param name="threads">Threads a step is split over; null takes torch's thread count at each step.</param>
    public FlatAdam(TensorBlock parameters, AdamSettings settings, int? threads = null)
    {
        this.parameters = parameters;
        this.settings = settings;
        this.threads = threads;
        int count = checked((int)parameters.ElementCount);
        expAvg = new float[count];
        expAvgSq = new float[count];
        if (!parameters.IsInHostMemory)
            hostValues = new float[count];
    }

    /// <summary>Steps taken: PyTorch's per-parameter <c>step</c>, the same for every parameter here.</summary>
    public long Steps { get; set; }

    /// <summary>The first moment, flat in the block's order.</summary>
    public Span<float> ExpAvg => expAvg;

    /// <summary>The second moment, flat in the block's order.</summary>
    public Span<float> ExpAvgSq => expAvgSq;

    /// <summary>The parameters this optimizer steps, in its flat order.</summary>
    public TensorBlock Parameters => parameters;

    /// <summary>One step on float32 gradients given flat in the block's order, such as the workers' mean.</summary>
    public void Step(ReadOnlyMemory<byte> flatGradients)
    {
        if (flatGradients.Length != parameters.ByteCount)
            throw new ArgumentException($"Expected {parameters.ByteCount} bytes of gradients for {parameters.ElementCount} parameters, got {flatGradients.Length}.", nameof(flatGradients));
        Steps++;
        var step = AdamKernel.StepCoefficients.For(settings, Steps);
        if (hostValues is not null)
        {
            parameters.ReadValues(MemoryMarshal.AsBytes(hostValues.AsSpan()));
            AdamKernel.Update(hostValues, MemoryMarshal.Cast<byte, float>(flatGradients.Span), expAvg, expAvgSq, step);
            parameters.WriteValues(MemoryMarshal.AsBytes(hostValues.AsSpan()));
            return;
        }
        var segments = parameters.Segments;
        AdamKernel.ForEachPart(expAvg.Length, threads, (start, end) => UpdateRange(segments, flatGradients, step, start, end));
    }

    /// <summary>One step on the gradients held by the parameter tensors themselves, as <c>torch.optim</c> takes it.</summary>
    public void StepOnTensorGradients()
    {
        if (gradients.Length != parameters.ByteCount)
            gradients = new byte[parameters.ByteCount];
        parameters.ReadGradients(WirePrecision.Float32, gradients);
        Step(gradients);
    }

    /// <summary>The elements [start, end) of the flat vector, tensor by tensor.</summary>
    private void UpdateRange(IReadOnlyList<TensorBlock.Segment> segments, ReadOnlyMemory<byte> flatGradients, AdamKernel.StepCoefficients step, int start, int end)
    {
        var allGradients = MemoryMarshal.Cast<byte, float>(flatGradients.Span);
        foreach (var segment in segments)
        {
            int from = Math.Max(start, segment.Offset), to = Math.Min(end, segment.Offset + segment.Length);
            if (from >= to)
                continue;
            var values = MemoryMarshal.Cast<byte, float>(segment.Tensor.bytes)[(from - segment.Offset)..(to - segment.Offset)];
            AdamKernel.Update(values, allGradients[from..to], expAvg.AsSpan(from..to), expAvgSq.AsSpan(from..to), step);
        }
    }
}
