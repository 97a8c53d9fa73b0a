using TorchSharp;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Models;

/// <summary>
/// Inverted dropout that draws its mask from a generator the caller owns. torch's dropout uses the process-wide
/// generator, which several workers in one silo would race on, and a step could then not be replayed exactly. The
/// generator lives on the CPU, so on another device the mask is drawn there and moved.
/// </summary>
public static class SeededDropout
{
    public static Tensor Apply(Tensor input, double rate, bool training, Generator? generator)
    {
        if (!training || rate == 0.0)
            return input;
        using var keep = empty(input.shape, input.dtype).bernoulli_(1.0 - rate, generator);
        if (input.device_type == DeviceType.CPU)
            return input * keep / (1.0 - rate);
        using var moved = keep.to(input.device);
        return input * moved / (1.0 - rate);
    }
}
