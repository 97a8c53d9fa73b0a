using Orleans.Gan.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace Orleans.Gan.Core.Tests.Data;

/// <summary>Real image files, good and broken, for the pipeline's tests.</summary>
public static class TestImages
{
    public static byte[] FaceJpeg(int index = 0)
    {
        using Image<Rgb24> face = SyntheticFaceRenderer.Render(seed: 99, index);
        return Encode(face, new JpegEncoder { Quality = 90 });
    }

    public static byte[] FacePng()
    {
        using Image<Rgb24> face = SyntheticFaceRenderer.Render(seed: 99, 0);
        return Encode(face, new PngEncoder());
    }

    public static byte[] SolidJpeg(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 100, 50));
        return Encode(image, new JpegEncoder { Quality = 90 });
    }

    /// <summary>A real JPEG cut in the middle of its scan data.</summary>
    public static byte[] TruncatedJpeg() => FaceJpeg()[..(FaceJpeg().Length * 2 / 3)];

    /// <summary>A complete, valid-looking JPEG whose frame header (SOF0) claims 60000x60000 pixels.</summary>
    public static byte[] HugeJpegHeader()
    {
        byte[] jpeg = FaceJpeg();
        int offset = 2;
        while (jpeg[offset + 1] != 0xC0)
        {
            offset += 2 + (jpeg[offset + 2] << 8 | jpeg[offset + 3]);
        }

        // SOF0 layout: FF C0, length (2), precision (1), height (2), width (2).
        jpeg[offset + 5] = 0xEA;
        jpeg[offset + 6] = 0x60;
        jpeg[offset + 7] = 0xEA;
        jpeg[offset + 8] = 0x60;
        return jpeg;
    }

    /// <summary>A PNG signature and IHDR chunk claiming 100000x100000 pixels.</summary>
    public static byte[] HugePngHeader() =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 0x08, 0x02, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];

    public static float[] Values(torch.Tensor tensor) => tensor.data<float>().ToArray();

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var buffer = new MemoryStream();
        image.Save(buffer, encoder);
        return buffer.ToArray();
    }
}
