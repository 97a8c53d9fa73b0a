using CommunityToolkit.HighPerformance;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// Where one network's gradients are accumulated. On the CPU, every parameter's <c>.grad</c> is a view into one flat
/// float32 array in the block's order, as PyTorch DDP's <c>gradient_as_bucket_view</c> does: backward writes the
/// gradients straight into the buffer that the optimizer steps from and the exchange offers, with no copy out of the
/// tensors. Elsewhere (a GPU) the gradients stay in the tensors and are read out through the block's staging.
/// </summary>
public sealed class ParameterGradients : IDisposable
{
    private readonly TensorBlock parameters;
    private readonly float[]? flat;
    private readonly Tensor[] views = [];
    private byte[] rounded = [];

    public ParameterGradients(TensorBlock parameters)
    {
        this.parameters = parameters;
        if (!parameters.IsInHostMemory)
            return;
        flat = GC.AllocateArray<float>(checked((int)parameters.ElementCount), pinned: true);
        views = [.. parameters.Segments.Select(s => frombuffer(flat, ScalarType.Float32, s.Length, s.Offset).view(s.Tensor.shape))];
    }

    /// <summary>
    /// Zeroes the gradients before a backward pass, as <c>zero_grad()</c>. The next backward pass accumulates into
    /// zeros rather than into no gradient: the same values, except that a gradient of -0 reads as +0.
    /// </summary>
    public void Clear()
    {
        if (flat is null)
        {
            Detach();
            return;
        }
        Array.Clear(flat);
        for (int i = 0; i < views.Length; i++)
            parameters.Segments[i].Tensor.grad = views[i];
    }

    /// <summary>
    /// Lets go of the gradients: a backward pass that follows gives the parameters gradients of their own and leaves
    /// the buffer as it is (G's pass through D, while D's gradients may still be lent to the exchange).
    /// </summary>
    public void Detach()
    {
        foreach (var segment in parameters.Segments)
            segment.Tensor.grad = null;
    }

    /// <summary>
    /// The gradients rounded to <paramref name="precision"/>, flat in the block's order. At float32 on the CPU this is
    /// the buffer itself, valid until the next <see cref="Clear"/>; otherwise a buffer this object reuses.
    /// </summary>
    public ReadOnlyMemory<byte> Read(WirePrecision precision)
    {
        if (flat is not null && precision == WirePrecision.Float32)
            return flat.AsMemory().AsBytes();
        int bytes = parameters.GradientByteCount(precision);
        if (rounded.Length != bytes)
            rounded = new byte[bytes];
        if (flat is null)
        {
            parameters.ReadGradients(precision, rounded);
            return rounded;
        }
        // torch's rounding, as TensorBlock.ReadGradients takes it tensor by tensor, over the whole buffer at once.
        using var all = frombuffer(flat, ScalarType.Float32);
        using var narrowed = all.to(precision.ElementType());
        narrowed.bytes.CopyTo(rounded);
        return rounded;
    }

    /// <summary>Lets go of the views; the parameters keep theirs as gradients until they are cleared or disposed.</summary>
    public void Dispose()
    {
        foreach (var view in views)
            view.Dispose();
    }
}
