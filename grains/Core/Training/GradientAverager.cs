using System.Numerics;
using System.Runtime.InteropServices;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// The element-wise mean of several workers' float32 buffers (gradients or running statistics), as DDP's all-reduce
/// followed by a division by the world size. Summed in worker order, then divided, so that one worker's buffer comes
/// back bit for bit.
/// </summary>
public static class GradientAverager
{
    public static byte[] Average(IReadOnlyList<byte[]> buffers)
    {
        if (buffers.Count == 0)
            throw new ArgumentException("Nothing to average.", nameof(buffers));
        int length = buffers[0].Length;
        if (buffers.Any(b => b.Length != length))
            throw new ArgumentException("Every worker must send a buffer of the same size.", nameof(buffers));
        var result = new byte[length];
        var sum = MemoryMarshal.Cast<byte, float>(result.AsSpan());
        MemoryMarshal.Cast<byte, float>(buffers[0].AsSpan()).CopyTo(sum);
        for (int i = 1; i < buffers.Count; i++)
            AddInPlace(sum, MemoryMarshal.Cast<byte, float>(buffers[i].AsSpan()));
        if (buffers.Count > 1)
            DivideInPlace(sum, buffers.Count);
        return result;
    }

    private static void AddInPlace(Span<float> sum, ReadOnlySpan<float> addend)
    {
        var wide = MemoryMarshal.Cast<float, Vector<float>>(sum);
        var wideAddend = MemoryMarshal.Cast<float, Vector<float>>(addend);
        for (int i = 0; i < wide.Length; i++)
            wide[i] += wideAddend[i];
        for (int i = wide.Length * Vector<float>.Count; i < sum.Length; i++)
            sum[i] += addend[i];
    }

    private static void DivideInPlace(Span<float> sum, int count)
    {
        var wide = MemoryMarshal.Cast<float, Vector<float>>(sum);
        var divisor = new Vector<float>(count);
        for (int i = 0; i < wide.Length; i++)
            wide[i] /= divisor;
        for (int i = wide.Length * Vector<float>.Count; i < sum.Length; i++)
            sum[i] /= count;
    }
}
