using Orleans.Gan.Core.Training;
using Orleans.Gan.Data;
using TorchSharp;

namespace Orleans.Gan.Core.Tests.Data;

/// <summary>A shard's images as the float tensors a worker trains on: the reader's bytes through PixelTensors.</summary>
internal static class ShardReaderBatches
{
    public static torch.Tensor Batch(this CelebaShardReader reader, ReadOnlySpan<int> indices) =>
        PixelTensors.FromPixels(reader.Pixels(indices), indices.Length, reader.ImageSize);
}
