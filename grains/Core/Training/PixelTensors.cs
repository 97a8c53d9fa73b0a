using TorchSharp;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>Preprocessed uint8 CHW images to the float NCHW tensors the networks read, scaled to [-1, 1].</summary>
public static class PixelTensors
{
    /// <summary>
    /// One bulk copy and one vectorised conversion, never a loop over pixels. On another device the bytes travel as
    /// uint8, a quarter of the floats' size, and are converted there.
    /// </summary>
    public static Tensor FromPixels(byte[] pixels, int count, int size, Device? device = null)
    {
        if (pixels.Length != count * 3 * size * size)
            throw new ArgumentException($"{pixels.Length} bytes do not hold {count} images of 3x{size}x{size}.", nameof(pixels));
        using var bytes = tensor(pixels, [count, 3, size, size]);
        using var onDevice = device is null || device.type == DeviceType.CPU ? bytes.alias() : bytes.to(device);
        return onDevice.to(ScalarType.Float32).div_(127.5).sub_(1.0);
    }
}
