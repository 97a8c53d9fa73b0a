using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// An ordered set of float32 tensors (a network's parameters, their gradients, or its batch-norm statistics) moved in
/// and out as one contiguous little-endian byte buffer. Each tensor on the CPU is copied once, straight between its
/// memory and its slice of the buffer: concatenating first and then copying the result out took about twice as long and
/// a second buffer of the block's size, and copying element by element is about 30 times slower. Tensors on a GPU
/// go through <see cref="HostStaging"/>'s pinned buffers instead.
/// </summary>
public sealed class TensorBlock
{
    private readonly IReadOnlyList<Tensor> tensors;
    private readonly HostStaging? staging;
    // The array the tensors are views of since LoadValues, if any.
    private ArraySegment<float> viewed;

    public TensorBlock(IEnumerable<Tensor> tensors)
    {
        this.tensors = tensors.ToList();
        if (this.tensors.Any(t => t.dtype != ScalarType.Float32))
            throw new ArgumentException("A tensor block holds float32 tensors only.", nameof(tensors));
        ElementCount = this.tensors.Sum(t => t.numel());
        if (this.tensors.Any(t => t.device_type != DeviceType.CPU))
            staging = new HostStaging(this.tensors);
        var segments = new List<Segment>(this.tensors.Count);
        int offset = 0;
        foreach (var tensor in this.tensors)
        {
            segments.Add(new Segment(tensor, offset, (int)tensor.numel()));
            offset += (int)tensor.numel();
        }
        Segments = segments;
        IsInHostMemory = staging is null && this.tensors.All(t => t.is_contiguous());
    }

    /// <summary>A tensor of the block and where its elements sit in the block's flat order.</summary>
    public readonly record struct Segment(Tensor Tensor, int Offset, int Length)
    {
        /// <summary>The segment's elements in the block's flat order, to slice flat arrays such as Adam's moments.</summary>
        public Range Range => Offset..(Offset + Length);
    }

    /// <summary>The tensors in order, each with its offset in elements.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>Whether every tensor is contiguous in CPU memory, so that <see cref="Segment.Tensor"/>'s bytes can be updated in place.</summary>
    public bool IsInHostMemory { get; }

    /// <summary>The parameters of a module, in registration order.</summary>
    public static TensorBlock Parameters(nn.Module module) => new(module.parameters());

    /// <summary>The float buffers of a module: batch-norm running means and variances. The int64 batch counters are left
    /// out: with a fixed momentum nothing reads them.</summary>
    public static TensorBlock RunningStatistics(nn.Module module) =>
        new(module.buffers().Where(b => b.dtype == ScalarType.Float32));

    public long ElementCount { get; }

    public int ByteCount => checked((int)(ElementCount * sizeof(float)));

    /// <summary>The size of the block's gradients rounded to <paramref name="precision"/>.</summary>
    public int GradientByteCount(WirePrecision precision) => checked((int)(ElementCount * precision.BytesPerElement()));

    /// <summary>The tensors' values, as float32.</summary>
    public byte[] ReadValues()
    {
        var buffer = new byte[ByteCount];
        ReadValues(buffer);
        return buffer;
    }

    /// <summary>The tensors' values, as float32, into the first <see cref="ByteCount"/> bytes of a buffer the caller reuses.</summary>
    public void ReadValues(Span<byte> destination) => Read(tensors, WirePrecision.Float32, destination);

    /// <summary>The gradients of the tensors, rounded to <paramref name="precision"/>; a tensor with no gradient reads as zeros.</summary>
    public byte[] ReadGradients(WirePrecision precision = WirePrecision.Float32)
    {
        var buffer = new byte[GradientByteCount(precision)];
        ReadGradients(precision, buffer);
        return buffer;
    }

    /// <summary>The gradients, rounded to <paramref name="precision"/>, into a buffer the caller reuses.</summary>
    public void ReadGradients(WirePrecision precision, Span<byte> destination) =>
        Read(tensors.Select(t => t.grad ?? zeros_like(t)), precision, destination);

    /// <summary>Overwrites the tensors' values in place from float32 bytes.</summary>
    public void WriteValues(ReadOnlySpan<byte> data) => Write(data, tensors);

    /// <summary>
    /// Makes the tensors hold <paramref name="values"/>, flat in the block's order. Where the tensors live in host
    /// memory and the values in an array, the tensors are made views of that array instead of being copied into, the
    /// first time it is given: from then on they read whatever it holds, until another array is given. A silo's
    /// workers read the master's weights so, in place (their owner changes them only between the workers' passes).
    /// Elsewhere (a GPU) the values are copied in, as <see cref="WriteValues"/> does.
    /// </summary>
    public void LoadValues(ReadOnlyMemory<float> values)
    {
        if (values.Length != ElementCount)
            throw new ArgumentException($"Expected {ElementCount} floats, got {values.Length}.", nameof(values));
        if (!IsInHostMemory || !MemoryMarshal.TryGetArray(values, out var array))
        {
            WriteValues(MemoryMarshal.AsBytes(values.Span));
            return;
        }
        if (ReferenceEquals(viewed.Array, array.Array) && viewed.Offset == array.Offset)
            return;
        using var noGrad = no_grad();
        foreach (var segment in Segments)
        {
            using var flat = frombuffer(array.Array!, ScalarType.Float32, segment.Length, array.Offset + segment.Offset);
            using var view = flat.view(segment.Tensor.shape);
            segment.Tensor.set_(view);
        }
        viewed = array;
    }

    /// <summary>Sets the tensors' gradients from float32 bytes, creating them where there are none, ready for an optimizer step.</summary>
    public void WriteGradients(ReadOnlySpan<byte> data)
    {
        EnsureGradients();
        Write(data, tensors.Select(t => t.grad!));
    }

    /// <summary>Gives every tensor without a gradient a zero one, kept from then on.</summary>
    private void EnsureGradients()
    {
        foreach (var t in tensors)
            t.grad ??= zeros_like(t);
    }

    private void Read(IEnumerable<Tensor> source, WirePrecision precision, Span<byte> buffer)
    {
        if (buffer.Length < GradientByteCount(precision))
            throw new ArgumentException($"Expected room for {GradientByteCount(precision)} bytes, got {buffer.Length}.", nameof(buffer));
        var elementType = precision.ElementType();
        using var scope = NewDisposeScope();
        if (staging is not null)
        {
            staging.Read(source, elementType, buffer);
            return;
        }
        using var noGrad = no_grad();
        int offset = 0;
        foreach (var tensor in source)
        {
            // On the CPU here: tensors elsewhere went through the staging buffers above.
            var readable = tensor.dtype == elementType && tensor.is_contiguous() ? tensor : tensor.to(elementType).contiguous();
            var bytes = readable.bytes;
            bytes.CopyTo(buffer[offset..]);
            offset += bytes.Length;
        }
    }

    /// <summary>
    /// Writes go straight into the tensors' memory, which autograd does not see: no graph may still need the old
    /// values. None does, since every write comes before a step's first forward pass or after its last backward pass
    /// through the tensors written.
    /// </summary>
    private void Write(ReadOnlySpan<byte> data, IEnumerable<Tensor> targets)
    {
        if (data.Length != ByteCount)
            throw new ArgumentException($"Expected {ByteCount} bytes for {ElementCount} floats, got {data.Length}.", nameof(data));
        if (staging is not null)
        {
            staging.Write(data, targets);
            return;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int offset = 0;
        foreach (var target in targets)
        {
            var slice = data.Slice(offset, checked((int)(target.numel() * sizeof(float))));
            if (target.is_contiguous())
            {
                slice.CopyTo(target.bytes);
            }
            else
            {
                var staged = empty(target.shape, ScalarType.Float32);
                slice.CopyTo(staged.bytes);
                target.copy_(staged);
            }
            offset += slice.Length;
        }
    }
}
