using static TorchSharp.torch;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// TensorBlock's copies before they went straight between each tensor and the byte array (commit e9c957c), kept only
/// so that the benchmark shows the two side by side: out, one concatenation into a new tensor and a copy of that into
/// a new array; in, a copy into a staging tensor and one copy_ from it into each tensor.
/// </summary>
public static class PreviousTensorCopy
{
    public static byte[] Read(IReadOnlyList<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        using var flat = cat(tensors.Select(t => t.detach().reshape(-1)).ToList(), 0);
        return flat.bytes.ToArray();
    }

    public static void Write(byte[] data, IReadOnlyList<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = empty(data.Length / sizeof(float), ScalarType.Float32);
        flat.bytes = data;
        long offset = 0;
        foreach (var target in tensors)
        {
            long count = target.numel();
            target.copy_(flat.narrow(0, offset, count).view(target.shape));
            offset += count;
        }
    }
}
