using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// A float32 sum of buffers (gradients or running statistics) in the order they are added, then one division by the
/// number of workers behind them: DDP's all-reduce followed by its division by the world size. Each added buffer may
/// already be a sum of several workers' (a silo's), and may arrive in half precision, which is widened first, so the
/// sum is always taken in float32. One worker's float32 buffer comes back bit for bit. The sum's memory is kept and
/// reused from one step to the next.
/// </summary>
public sealed class GradientSum
{
    // Bytes rather than floats, so that the sum can be lent out as it is (see Memory).
    private byte[] sum = [];
    private int elements;

    /// <summary>Workers behind the buffers added since the last <see cref="Reset"/>.</summary>
    public int Workers { get; private set; }

    /// <summary>The running sum as float32 bytes; valid until the next <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Bytes => Memory.Span;

    /// <summary>The same bytes, to lend out.</summary>
    public ReadOnlyMemory<byte> Memory => sum.AsMemory(0, elements * sizeof(float));

    private Span<float> Values => MemoryMarshal.Cast<byte, float>(sum.AsSpan(0, elements * sizeof(float)));

    /// <summary>Starts a new sum of <paramref name="elementCount"/> values.</summary>
    public void Reset(int elementCount)
    {
        if (sum.Length < elementCount * sizeof(float))
            sum = new byte[elementCount * sizeof(float)];
        elements = elementCount;
        Workers = 0;
    }

    /// <summary>Adds a buffer that holds the sum of <paramref name="workers"/> workers' values, in <paramref name="precision"/>.</summary>
    public void Add(ReadOnlySpan<byte> buffer, WirePrecision precision, int workers = 1)
    {
        if (workers < 1)
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "A buffer holds at least one worker's values.");
        if (buffer.Length != elements * precision.BytesPerElement())
            throw new ArgumentException($"Expected {elements} {precision} values ({elements * precision.BytesPerElement()} bytes), got {buffer.Length} bytes.", nameof(buffer));
        if (precision == WirePrecision.Float32)
        {
            Accumulate(MemoryMarshal.Cast<byte, float>(buffer));
        }
        else
        {
            // torch's conversion: vectorised, and the exact inverse of the rounding the workers did with it.
            using var scope = NewDisposeScope();
            var packed = empty(elements, precision.ElementType());
            buffer.CopyTo(packed.bytes);
            Accumulate(MemoryMarshal.Cast<byte, float>(packed.to(ScalarType.Float32).bytes));
        }
        Workers += workers;
    }

    /// <summary>Divides the sum by <see cref="Workers"/> in place and returns it as float32 bytes, valid until the next <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> Mean()
    {
        if (Workers == 0)
            throw new InvalidOperationException("Nothing to average.");
        if (Workers > 1)
            DivideInPlace(Values, Workers);
        Workers = 1;
        return Memory;
    }

    /// <summary>Starts a new sum of the whole buffers given, each one worker's, all in <paramref name="precision"/>; returns it as float32 bytes.</summary>
    public ReadOnlyMemory<byte> SumOf(IReadOnlyList<ReadOnlyMemory<byte>> buffers, WirePrecision precision)
    {
        if (buffers.Count == 0)
            throw new ArgumentException("Nothing to add.", nameof(buffers));
        int elementSize = precision.BytesPerElement();
        if (buffers[0].Length % elementSize != 0)
            throw new ArgumentException($"{buffers[0].Length} bytes are not a whole number of {precision} values.", nameof(buffers));
        Reset(buffers[0].Length / elementSize);
        foreach (var buffer in buffers)
            Add(buffer.Span, precision);
        return Memory;
    }

    /// <summary>The mean of whole buffers of one precision each, as float32 bytes in a new array.</summary>
    public static byte[] Average(IReadOnlyList<byte[]> buffers, WirePrecision precision = WirePrecision.Float32)
    {
        var mean = new GradientSum();
        mean.SumOf([.. buffers.Select(b => (ReadOnlyMemory<byte>)b)], precision);
        return mean.Mean().ToArray();
    }

    private void Accumulate(ReadOnlySpan<float> values)
    {
        if (Workers == 0)
            values.CopyTo(Values);
        else
            AddInPlace(Values, values);
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
