using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// The element-wise mean of several workers' buffers (gradients or running statistics), as DDP's all-reduce followed
/// by a division by the world size. Half-precision buffers are widened first, so the sum is always taken in float32;
/// summed in worker order, then divided, so that one worker's float32 buffer comes back bit for bit.
/// </summary>
public static class GradientAverager
{
    /// <summary>The mean as float32 bytes, whatever <paramref name="precision"/> the buffers arrived in.</summary>
    public static byte[] Average(IReadOnlyList<byte[]> buffers, WirePrecision precision = WirePrecision.Float32)
    {
        if (buffers.Count == 0)
            throw new ArgumentException("Nothing to average.", nameof(buffers));
        int length = buffers[0].Length, elementSize = precision.BytesPerElement();
        if (buffers.Any(b => b.Length != length))
            throw new ArgumentException("Every worker must send a buffer of the same size.", nameof(buffers));
        if (length % elementSize != 0)
            throw new ArgumentException($"{length} bytes are not a whole number of {precision} values.", nameof(buffers));
        var result = new byte[length / elementSize * sizeof(float)];
        var sum = MemoryMarshal.Cast<byte, float>(result.AsSpan());
        var widened = precision == WirePrecision.Float32 ? null : new float[sum.Length];
        for (int i = 0; i < buffers.Count; i++)
        {
            ReadOnlySpan<float> values;
            if (widened is null)
            {
                values = MemoryMarshal.Cast<byte, float>(buffers[i].AsSpan());
            }
            else
            {
                Widen(buffers[i], precision, widened);
                values = widened;
            }
            if (i == 0)
                values.CopyTo(sum);
            else
                AddInPlace(sum, values);
        }
        if (buffers.Count > 1)
            DivideInPlace(sum, buffers.Count);
        return result;
    }

    /// <summary>torch's conversion: vectorised, and the exact inverse of the rounding the workers did with it.</summary>
    private static void Widen(byte[] source, WirePrecision precision, float[] destination)
    {
        if (destination.Length == 0)
            return;
        using var scope = NewDisposeScope();
        var packed = empty(destination.Length, precision.ElementType());
        packed.bytes = source;
        frombuffer(destination, ScalarType.Float32).copy_(packed);
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
