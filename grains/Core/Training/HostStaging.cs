using TorchSharp;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// Host buffers for a block of tensors that live on a GPU: one per element type, pinned where CUDA is there, made once
/// and reused every step, with a view per tensor. Gradients leave the device into it and weights enter from it, all
/// copies queued before one wait, and the block's bytes then move in one memcpy. Copying each tensor out with .cpu()
/// instead would allocate pageable memory every step, which the GPU copies to at about half the speed and which the
/// driver first stages through a pinned buffer of its own. On the CPU the same code runs without pinning, which is how
/// it is tested here.
/// </summary>
public sealed class HostStaging(IReadOnlyList<Tensor> tensors)
{
    private readonly Dictionary<ScalarType, (Tensor Host, Tensor[] Views)> buffers = [];
    private readonly long elementCount = tensors.Sum(t => t.numel());

    /// <summary>The <paramref name="source"/> tensors, shaped as the block's, converted to <paramref name="elementType"/>, into <paramref name="destination"/>.</summary>
    public void Read(IEnumerable<Tensor> source, ScalarType elementType, Span<byte> destination)
    {
        var (host, views) = Buffer(elementType);
        using var noGrad = no_grad();
        foreach (var (view, tensor) in views.Zip(source))
            view.copy_(tensor, nonBlocking: true);
        WaitForCopies();
        host.bytes.CopyTo(destination);
    }

    /// <summary>Float32 bytes into the <paramref name="targets"/>, shaped as the block's.</summary>
    public void Write(ReadOnlySpan<byte> data, IEnumerable<Tensor> targets)
    {
        var (host, views) = Buffer(ScalarType.Float32);
        data.CopyTo(host.bytes);
        using var noGrad = no_grad();
        foreach (var (view, target) in views.Zip(targets))
            target.copy_(view, nonBlocking: true);
        // The next write overwrites the host buffer: these copies must have read it by then.
        WaitForCopies();
    }

    private (Tensor Host, Tensor[] Views) Buffer(ScalarType elementType)
    {
        if (buffers.TryGetValue(elementType, out var buffer))
            return buffer;
        var host = empty(elementCount, elementType);
        if (cuda.is_available())
        {
            var pinned = host.pin_memory();
            host.Dispose();
            host = pinned;
        }
        long offset = 0;
        var views = new Tensor[tensors.Count];
        for (int i = 0; i < views.Length; i++)
        {
            views[i] = host.narrow(0, offset, tensors[i].numel()).view(tensors[i].shape).DetachFromDisposeScope();
            offset += tensors[i].numel();
        }
        // Kept for the block's life, whatever dispose scope the first read or write ran in.
        return buffers[elementType] = (host.DetachFromDisposeScope(), views);
    }

    private void WaitForCopies()
    {
        if (tensors[0].device_type == DeviceType.CUDA)
            cuda.synchronize(tensors[0].device);
    }
}
